import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SearchRequest, type SearchResult } from '../../../common/protocol';
import type { HealthModel } from '../healthModel';
import { errorMessage } from '../log';
import { openResult, toPickItem, type SearchPickItem } from './searchItems';
import { withoutSource, type SimilarSource } from '../../../common/similarExclusion';

/** What the Quick Pick shows, as the API hands it to tests (they cannot read the real widget). */
export interface QuickPickSnapshot {
  title?: string;
  placeholder?: string;
  items: { label: string; description?: string; detail?: string }[];
  /** The Quick Pick was closed (Escape, or focus moved elsewhere); a search still in flight was cancelled. */
  hidden?: boolean;
}

const DEBOUNCE_MS = 200;
const RESULTS = 20;

/** The search Quick Pick: typing runs SearchRequest after a pause in typing; a newer query cancels the
 *  request still in flight so results never arrive out of order. */
export class SearchQuickPick {
  private snapshot: QuickPickSnapshot | undefined;
  /** The pick the snapshot is of. */
  private recorded: vscode.QuickPick<SearchPickItem> | undefined;

  constructor(
    private readonly client: LanguageClient,
    private readonly healthModel: HealthModel,
    private readonly log: vscode.LogOutputChannel,
  ) {}

  last(): QuickPickSnapshot | undefined {
    return this.snapshot;
  }

  /** Opens the Quick Pick pre-filled with `query`; resolves once that query's results are shown, so a caller
   *  (an e2e test) can read them through the API without sleeping. Results overlapping `exclude` (the code
   *  Find Similar started from) are left out. */
  async show(query = '', exclude?: SimilarSource): Promise<void> {
    const qp = vscode.window.createQuickPick<SearchPickItem>();
    let timer: ReturnType<typeof setTimeout> | undefined;
    let cts: vscode.CancellationTokenSource | undefined;
    let searched: string | undefined;

    const run = async (value: string): Promise<void> => {
      cts?.cancel();
      cts?.dispose();
      const source = (cts = new vscode.CancellationTokenSource());
      searched = value;
      if (!value.trim()) {
        qp.busy = false;
        qp.items = [];
        this.record(qp);
        return;
      }
      qp.busy = true;
      try {
        // A few more than shown, so leaving out the code Find Similar started from still fills the list.
        const result = await this.client.sendRequest(
          SearchRequest.type,
          { query: value, k: exclude ? RESULTS + 5 : RESULTS },
          source.token,
        );
        if (source.token.isCancellationRequested) return;
        qp.items = withoutSource(result.results, exclude, uri => vscode.Uri.parse(uri).toString())
          .slice(0, RESULTS)
          .map(toPickItem);
        this.setHeader(qp, result);
      } catch (error) {
        if (source.token.isCancellationRequested) return;
        this.log.error(`Search failed: ${errorMessage(error)}`);
        qp.items = [];
        qp.title = `Semsearch: the search failed (${errorMessage(error)})`;
      }
      qp.busy = false;
      this.record(qp);
    };

    qp.onDidChangeValue(value => {
      clearTimeout(timer);
      if (value === searched) return; // our own pre-fill echoed back, or typed back to the shown query
      qp.busy = value.trim() !== '';
      timer = setTimeout(() => void run(value), DEBOUNCE_MS);
    });
    qp.onDidAccept(() => {
      const picked = qp.selectedItems[0] ?? qp.activeItems[0];
      if (!picked) return;
      qp.hide();
      openResult(picked.result).then(undefined, error => this.log.error(`Could not open ${picked.result.path}: ${errorMessage(error)}`));
    });
    qp.onDidHide(() => {
      // A pick's hide can arrive after the next pick's first record: only its own snapshot is marked.
      if (this.snapshot && this.recorded === qp) this.snapshot = { ...this.snapshot, hidden: true };
      clearTimeout(timer);
      cts?.cancel();
      cts?.dispose();
      qp.dispose();
    });

    this.setHeader(qp, undefined);
    qp.value = query;
    qp.show();
    this.record(qp);
    if (query) await run(query);
  }

  /** While the index is building, say that results come from the files indexed so far. */
  private setHeader(qp: vscode.QuickPick<SearchPickItem>, result: SearchResult | undefined): void {
    const health = this.healthModel.health;
    const progress = result
      ? result.partial
        ? { done: result.filesIndexed, total: result.filesTotal }
        : undefined
      : (health?.state === 'indexing' || health?.state === 'paused') && health.progress
        ? { done: health.progress.filesDone, total: health.progress.filesTotal }
        : undefined;
    if (progress) {
      qp.title = `Semsearch: results from what is indexed so far (${progress.done}/${progress.total} files)`;
      qp.placeholder = 'Describe the code you are looking for (the index is still being built)';
    } else {
      qp.title = 'Semsearch';
      qp.placeholder = 'Describe the code you are looking for, e.g. "retry a failed request"';
    }
  }

  private record(qp: vscode.QuickPick<SearchPickItem>): void {
    this.recorded = qp;
    this.snapshot = {
      title: qp.title,
      placeholder: qp.placeholder,
      items: qp.items.map(({ label, description, detail }) => ({ label, description, detail })),
    };
  }
}
