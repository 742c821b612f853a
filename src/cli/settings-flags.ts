import { Option, type Command } from 'commander';
import { loadSettings, SETTING_KEYS, type LoadedSettings, type SettingFlags } from '../config/config.js';
import { SETTINGS, type CommandName, type SettingKey } from '../config/settings.js';

/**
 * The flags of the settings table (src/config/settings.ts) on one command. Commander only
 * collects the text: no parsers and no defaults here, so the config module parses every value
 * once and knows whether it came from a flag, the environment or the default.
 */
export function withSettingFlags(cmd: Command, command: CommandName): Command {
  for (const key of SETTING_KEYS) {
    const s = SETTINGS[key];
    if (!s.flag) continue;
    if (command !== 'config' && !(s.commands as readonly string[] | undefined)?.includes(command)) continue;
    const option = new Option(s.flag, s.env ? `${s.meaning} (env ${s.env})` : s.meaning);
    cmd.addOption(option);
  }
  return cmd;
}

/** The settings for a command: its flags (only those given on the command line), the environment, the defaults. */
export function settingsOf(cmd: Command): LoadedSettings {
  const flags: SettingFlags = {};
  for (const option of cmd.options) {
    const key = SETTING_KEYS.find((k) => SETTINGS[k].flag === option.flags) as SettingKey | undefined;
    if (!key) continue;
    const attr = option.attributeName();
    if (cmd.getOptionValueSource(attr) !== 'cli') continue;
    flags[key] = cmd.getOptionValue(attr) as string | boolean;
  }
  return loadSettings({ flags });
}
