// Settings: pulled from the client's 'semsearch' section (CONFIG_SECTION) (workspace/configuration) over the
// initializationOptions, once after initialize and again on every didChangeConfiguration. A client that
// cannot be asked pushes the section in the notification instead.

import type { ClientCapabilities, Connection } from 'vscode-languageserver/node';
import { DidChangeConfigurationNotification } from 'vscode-languageserver/node';
import { CONFIG_SECTION } from '../../../common/protocol';
import type { EngineSettings } from '../../../common/settings';
import type { IndexService } from '../workspace/indexService';
import type { Logger } from '../workspace/logging';
import { resolveSettings } from '../workspace/settingsResolver';

export class SettingsSource {
  private readonly canPull: boolean;

  constructor(
    private readonly connection: Connection,
    private readonly initial: unknown,
    capabilities: ClientCapabilities,
    private readonly log: Logger,
  ) {
    this.canPull = Boolean(capabilities.workspace?.configuration);
  }

  /** The initial settings alone, before the client can be asked. */
  initialSettings(): EngineSettings {
    return this.resolve(undefined);
  }

  /** Asks the client for its section (or uses the pushed one) and layers it over the initial settings. */
  async pull(pushed?: unknown): Promise<EngineSettings> {
    let section: unknown = pushed;
    if (this.canPull) {
      try {
        section = await this.connection.workspace.getConfiguration(CONFIG_SECTION);
      } catch (e) {
        this.log.warn(`Could not read the ${CONFIG_SECTION} settings: ${(e as Error).message}`);
      }
    }
    return this.resolve(section);
  }

  private resolve(section: unknown): EngineSettings {
    const { settings, warnings } = resolveSettings(asRecord(this.initial), asRecord(section));
    for (const w of warnings) this.log.warn(w);
    return settings;
  }
}

/**
 * Without dynamic registration the client may never send didChangeConfiguration at all. Registration is a
 * request to the client, which it accepts only once initialize has been answered: call this when initialized.
 */
export function askForConfigurationChanges(connection: Connection, capabilities: ClientCapabilities): void {
  if (capabilities.workspace?.didChangeConfiguration?.dynamicRegistration) {
    void connection.client.register(DidChangeConfigurationNotification.type, { section: CONFIG_SECTION });
  }
}

export function registerConfiguration(connection: Connection, source: SettingsSource, service: IndexService): void {
  connection.onDidChangeConfiguration(async params => {
    const pushed = asRecord(params?.settings)?.[CONFIG_SECTION];
    await service.applySettings(await source.pull(pushed));
  });
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}
