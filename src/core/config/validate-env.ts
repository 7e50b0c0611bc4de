import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';

/** Thrown at boot when a setting is wrong; the message names each offending variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/**
 * Reads one namespace of settings from the environment into a validated class.
 * Unset variables keep the class's defaults; blank ones count as unset.
 */
export function validateEnv<T extends object>(cls: new () => T, env: NodeJS.ProcessEnv = process.env): T {
  const defaults = new cls();
  const plain: Record<string, unknown> = {};
  for (const [key, fallback] of Object.entries(defaults)) {
    const value = env[key]?.trim();
    if (value !== undefined && value !== '') plain[key] = convert(value, fallback);
  }
  const instance = Object.assign(defaults, plainToInstance(cls, plain));
  const errors = validateSync(instance, { forbidUnknownValues: true });
  if (errors.length > 0) throw new ConfigError(describe(errors));
  return instance;
}

/** Converts by the default's type, so a typo stays visible ("ten" is not a number) instead of becoming NaN silently. */
function convert(value: string, fallback: unknown): unknown {
  if (typeof fallback === 'number') return /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  if (typeof fallback === 'boolean') {
    if (/^(true|1|yes)$/i.test(value)) return true;
    if (/^(false|0|no)$/i.test(value)) return false;
  }
  return value;
}

function describe(errors: ValidationError[]): string {
  const lines = errors.map((e) => {
    const problems = Object.values(e.constraints ?? {}).join('; ');
    return `  ${e.property}=${JSON.stringify(e.value)}: ${problems}`;
  });
  return `Invalid configuration:\n${lines.join('\n')}`;
}

export function splitList(value: string): string[] {
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}
