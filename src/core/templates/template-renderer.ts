import { Injectable } from '@nestjs/common';
import Handlebars from 'handlebars';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { projectRoot } from '../paths';

type Compiled = Handlebars.TemplateDelegate;

/**
 * Renders templates/ with Handlebars: pages/<name>.hbs for HTML pages, mail/<letter>.{subject,text,html}.hbs for
 * letters, partials/*.hbs shared by both. HTML is escaped by Handlebars; text parts are compiled without escaping.
 */
@Injectable()
export class TemplateRenderer {
  private readonly html = Handlebars.create();
  private readonly text = Handlebars.create();
  private readonly cache = new Map<string, Compiled>();
  private readonly dir = path.join(projectRoot(), 'templates');

  constructor() {
    for (const hb of [this.html, this.text]) {
      hb.registerHelper('eq', (a: unknown, b: unknown) => a === b);
      hb.registerHelper('join', (list: unknown, sep: unknown) => (Array.isArray(list) ? list.join(String(sep)) : ''));
      hb.registerHelper('inc', (n: unknown) => Number(n) + 1);
      hb.registerHelper('date', (d: unknown) =>
        d instanceof Date || typeof d === 'string'
          ? new Date(d).toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
          : '',
      );
    }
    const partials = path.join(this.dir, 'partials');
    if (existsSync(partials)) {
      for (const file of readdirSync(partials).filter((f) => f.endsWith('.hbs'))) {
        const source = readFileSync(path.join(partials, file), 'utf8');
        const name = file.replace(/\.hbs$/, '');
        (file.includes('.text.') ? this.text : this.html).registerPartial(name.replace(/\.text$/, ''), source);
      }
    }
  }

  page(name: string, context: object): string {
    return this.compile(`pages/${name}.hbs`, this.html)(context);
  }

  letter(name: string, context: object): { subject: string; text: string; html: string } {
    return {
      subject: this.compile(`mail/${name}.subject.hbs`, this.text)(context).trim().replace(/\s+/g, ' '),
      text: this.compile(`mail/${name}.text.hbs`, this.text)(context),
      html: this.compile(`mail/${name}.html.hbs`, this.html)(context),
    };
  }

  private compile(file: string, hb: typeof Handlebars): Compiled {
    const key = `${hb === this.html ? 'h' : 't'}:${file}`;
    let compiled = this.cache.get(key);
    if (!compiled) {
      compiled = hb.compile(readFileSync(path.join(this.dir, file), 'utf8'), {
        noEscape: hb === this.text,
        strict: false,
      });
      this.cache.set(key, compiled);
    }
    return compiled;
  }
}
