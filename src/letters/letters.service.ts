import { Inject, Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';
import { type AppConfig, appConfig } from '../core/config';
import { TemplateRenderer } from '../core/templates/template-renderer';
import { LetterKind } from './letter.entity';

export interface LetterCase {
  id: string;
  reference: string;
  statusToken: string;
}

/** Renders a letter from templates/mail and records it once per dedupe key; sending is the mail worker's job. */
@Injectable()
export class LettersService {
  constructor(
    private readonly templates: TemplateRenderer,
    @Inject(appConfig.KEY) private readonly app: AppConfig,
  ) {}

  /** Returns the letter's id, or undefined when a letter with this dedupe key was already recorded. */
  async record(
    manager: EntityManager,
    kase: LetterCase,
    kind: LetterKind,
    occasion: string,
    recipient: string | null,
    context: object,
  ): Promise<string | undefined> {
    const rendered = this.templates.letter(kind, {
      site: { name: this.app.siteName, url: this.app.publicUrl },
      agent: this.app.agent,
      case: { reference: kase.reference, statusUrl: `${this.app.publicUrl}/status/${kase.statusToken}` },
      ...context,
    });
    const rows: { id: string }[] = await manager.query(
      `INSERT INTO letters (case_id, kind, dedupe_key, recipient, subject, text, html)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (dedupe_key) DO NOTHING RETURNING id`,
      [kase.id, kind, `${kase.id}:${kind}:${occasion}`, recipient, rendered.subject, rendered.text, rendered.html],
    );
    return rows[0]?.id;
  }
}
