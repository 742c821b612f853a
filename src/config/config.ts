/**
 * Loads the settings of src/config/settings.ts once: each from its flag, else its environment
 * variable, else its default, parsed by its schema. Every bad value is reported, by the name the
 * operator used (the flag or the variable), and stops the start. An empty variable counts as unset.
 */
import { SETTINGS, type SettingKey, type SettingSpec, type Settings } from './settings.js';

export type SettingSource = 'flag' | 'env' | 'default';

export interface LoadedSettings {
  values: Settings;
  /** Where each value came from, for `seqflow config`. */
  sources: Record<SettingKey, SettingSource>;
}

/** Raw flag values as the command line gave them (text, or a boolean for switches). */
export type SettingFlags = Partial<Record<SettingKey, string | boolean>>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Configuration error:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

export const SETTING_KEYS = Object.keys(SETTINGS) as SettingKey[];
const spec = (key: SettingKey): SettingSpec => SETTINGS[key];

/** `--fake-clock [start]` → `--fake-clock`. */
export const flagName = (key: SettingKey): string | undefined => spec(key).flag?.split(' ')[0];

/** Precedence: flag, then environment, then default. Throws ConfigError naming every bad value. */
export function loadSettings(o: { env?: Record<string, string | undefined>; flags?: SettingFlags } = {}): LoadedSettings {
  const env = o.env ?? process.env;
  const flags = o.flags ?? {};
  const values: Record<string, unknown> = {};
  const sources = {} as Record<SettingKey, SettingSource>;
  const problems: string[] = [];
  for (const key of SETTING_KEYS) {
    const s = spec(key);
    const fromEnv = s.env === undefined ? undefined : env[s.env];
    let raw: string | boolean | undefined;
    let name: string;
    if (flags[key] !== undefined) {
      raw = flags[key];
      sources[key] = 'flag';
      name = flagName(key)!;
    } else if (fromEnv !== undefined && fromEnv.trim() !== '') {
      raw = fromEnv;
      sources[key] = 'env';
      name = s.env!;
    } else {
      raw = s.default;
      sources[key] = 'default';
      name = `the default of ${s.env ?? flagName(key)}`;
    }
    if (raw === undefined) {
      values[key] = undefined;
      continue;
    }
    const parsed = s.schema.safeParse(raw);
    if (parsed.success) values[key] = parsed.data;
    else problems.push(`${name} ${parsed.error.issues[0]?.message ?? 'is not valid'}${echo(s, raw)}`);
  }
  if (problems.length) throw new ConfigError(problems);
  return { values: values as Settings, sources };
}

/** The settings with nothing set but defaults (tests, and callers that build Deps by hand). */
export const defaultSettings = (): Settings => loadSettings({ env: {} }).values;

/** The bad value, as it may be shown: never a secret. */
function echo(s: SettingSpec, raw: string | boolean): string {
  if (s.secret === true) return ' (the value is a secret and is not shown)';
  const text = s.secret === 'url-password' && typeof raw === 'string' ? maskUrlPassword(raw) : String(raw);
  return `, got '${text}'`;
}

const MASK = '****';

export function maskUrlPassword(url: string): string {
  try {
    const u = new URL(url);
    if (!u.password) return url;
    u.password = MASK;
    return u.toString();
  } catch {
    // Not a URL: it may be anything, including a password.
    return MASK;
  }
}

/** A value for display: secrets masked, unset values described by their default. */
export function displayValue(key: SettingKey, value: unknown): string {
  const s = spec(key);
  if (value === undefined) return !s.defaultText || s.defaultText === '—' ? '(unset)' : `(unset: ${s.defaultText.replace(/`/g, '')})`;
  if (Array.isArray(value)) {
    if (value.length === 0) return '(none)';
    return s.secret ? `${MASK} (${value.length} key${value.length === 1 ? '' : 's'})` : value.join(',');
  }
  if (s.secret === 'url-password') return maskUrlPassword(String(value));
  if (s.secret) return MASK;
  return String(value);
}

export interface SettingRow {
  key: SettingKey;
  env: string | undefined;
  flag: string | undefined;
  value: string;
  source: SettingSource;
  secret: boolean;
}

export function describeSettings(loaded: LoadedSettings): SettingRow[] {
  return SETTING_KEYS.map((key) => ({
    key,
    env: spec(key).env,
    flag: flagName(key),
    value: displayValue(key, loaded.values[key]),
    source: loaded.sources[key],
    secret: !!spec(key).secret,
  }));
}

/** `seqflow config`: one line per setting, aligned. */
export function formatSettings(loaded: LoadedSettings): string {
  const rows = describeSettings(loaded).map((r) => [[r.env, r.flag].filter(Boolean).join(', '), r.value, r.source]);
  const head = ['SETTING', 'VALUE', 'FROM'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  return [head, ...rows].map((r) => r.map((c, i) => (i === r.length - 1 ? c : c.padEnd(widths[i]))).join('  ')).join('\n');
}

const cell = (text: string) => text.replace(/\|/g, '\\|');
const code = (text: string | undefined) => (text ? `\`${text}\`` : '—');

/** The README's configuration table (npm run docs:config writes it; a test compares). */
export function settingsMarkdown(): string {
  const lines = ['| variable | flag | default | meaning | secret |', '|---|---|---|---|---|'];
  for (const key of SETTING_KEYS) {
    const s = spec(key);
    const def = s.defaultText ?? (s.default === undefined ? '—' : code(String(s.default)));
    lines.push(`| ${code(s.env)} | ${code(s.flag)} | ${cell(def)} | ${cell(s.meaning)} | ${s.secret === 'url-password' ? 'its password' : s.secret ? 'yes' : ''} |`);
  }
  return lines.join('\n');
}

export const README_TABLE_START = '<!-- settings table: generated by `npm run docs:config` from src/config/settings.ts -->';
export const README_TABLE_END = '<!-- end of settings table -->';

/** README text with its settings table replaced by the generated one. */
export function withSettingsTable(readme: string): string {
  const start = readme.indexOf(README_TABLE_START);
  const end = readme.indexOf(README_TABLE_END);
  if (start < 0 || end < start) throw new Error(`README.md has no settings table markers (${README_TABLE_START} … ${README_TABLE_END})`);
  return `${readme.slice(0, start)}${README_TABLE_START}\n${settingsMarkdown()}\n${readme.slice(end)}`;
}
