import type { Response } from 'express';
import type { TemplateRenderer } from '../core/templates/template-renderer';

/** Renders a staff page; every staff page is private and never cached. */
export function sendPage(
  res: Response,
  templates: TemplateRenderer,
  name: string,
  status: number,
  context: object,
): void {
  res
    .status(status)
    .setHeader('Cache-Control', 'no-store')
    .setHeader('Content-Type', 'text/html; charset=utf-8')
    .send(templates.page(name, context));
}
