import {
  type ArgumentMetadata,
  createParamDecorator,
  type ExecutionContext,
  Injectable,
  type PipeTransform,
  UnprocessableEntityException,
} from '@nestjs/common';
import type { Request } from 'express';
import { plainToInstance } from 'class-transformer';
import { type ValidationError, validate } from 'class-validator';

/** Fields of a form post that are never shown back on the page nor passed to a form DTO. */
const UNECHOED = new Set(['_csrf', 'password']);

/**
 * A urlencoded form post as plain values: each field trimmed, an empty field absent, a repeated field (checkboxes)
 * a list of its non-empty values. The CSRF token is left out; a password is kept only when `keepPasswords`.
 */
export function formValues(body: unknown, keepPasswords = false): Record<string, string | string[]> {
  const fields = body && typeof body === 'object' ? (body as Record<string, unknown>) : {};
  const values: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (name === '_csrf' || (name === 'password' && !keepPasswords)) continue;
    if (Array.isArray(value)) {
      const list = (value as unknown[]).filter((v): v is string => typeof v === 'string' && v.trim() !== '');
      if (list.length) values[name] = list.map((v) => v.trim());
    } else if (typeof value === 'string' && value.trim() !== '') {
      values[name] = name === 'password' ? value : value.trim();
    }
  }
  return values;
}

/** What the page shows back after a refusal: what was typed, never the token or a password. */
export function echoedValues(body: unknown): Record<string, string | string[]> {
  return Object.fromEntries(Object.entries(formValues(body)).filter(([name]) => !UNECHOED.has(name)));
}

const REQUIRED = Symbol('page-form:required');

interface Requirement {
  property: string;
  message: string;
  when?: (form: Record<string, unknown>) => boolean;
}

/**
 * A field the form must have (when `when` holds), with a message that says what to do when it is left empty. Checked
 * before the DTO's own rules, and kept apart from them: a form DTO extends the API's DTO, and a class-validator rule
 * of its own on a field would replace the API's rules for that field instead of adding to them.
 */
export function Required(message: string, when?: Requirement['when']): PropertyDecorator {
  return (target, property) => {
    const list = (Reflect.getMetadata(REQUIRED, target) as Requirement[] | undefined) ?? [];
    Reflect.defineMetadata(REQUIRED, [...list, { property: String(property), message, when }], target);
  };
}

/**
 * Reads a form post into its form DTO and validates it, so that a handler receives a checked DTO or never runs. A
 * failure is a 422 naming each field's problem (a missing field's own message first) (the page shows it beside the form); fields
 * the DTO does not declare are dropped, as a browser may send buttons' and other forms' values.
 */
@Injectable()
export class PageFormPipe implements PipeTransform {
  async transform(body: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const cls = metadata.metatype as (new () => object) | undefined;
    if (!cls || (cls as unknown) === Object) throw new Error('@PageForm() needs a form DTO class as the type.');
    const dto = plainToInstance(cls, formValues(body, true)) as Record<string, unknown>;
    const requirements = (Reflect.getMetadata(REQUIRED, cls.prototype as object) as Requirement[] | undefined) ?? [];
    const missing = requirements.filter((r) => dto[r.property] === undefined && (r.when?.(dto) ?? true));
    if (missing.length > 0) {
      throw new UnprocessableEntityException([...new Set(missing.map((r) => sentence(r.message)))].join(' '));
    }
    const problems = await validate(dto, { whitelist: true, forbidNonWhitelisted: false, stopAtFirstError: true });
    if (problems.length > 0) throw new UnprocessableEntityException(messages(problems).join(' '));
    return dto;
  }
}

/** One message per field (validation stops at a field's first failed check: a form DTO puts presence first). */
function messages(problems: ValidationError[]): string[] {
  return problems.flatMap((p) => [...Object.values(p.constraints ?? {}).map(sentence), ...messages(p.children ?? [])]);
}

function sentence(message: string): string {
  return /[.!?]$/.test(message) ? message : `${message}.`;
}

/**
 * The form post of a staff page, as its form DTO (see PageFormPipe). A parameter decorator of its own rather than
 * @Body(), which the global ValidationPipe would check first against the raw post (with its CSRF token and buttons).
 */
const formBody = createParamDecorator(
  (_data: unknown, context: ExecutionContext): unknown => context.switchToHttp().getRequest<Request>().body,
);
export const PageForm = (): ParameterDecorator => formBody(PageFormPipe);
