import * as vscode from 'vscode';
import type { Health } from '../../../common/protocol';
import type { HealthModel } from '../healthModel';
import type { FileLister } from './fileNodes';
import { buildNodes, type HealthNode } from './healthNodes';

/** The Index Health view: re-rendered from each pushed Health (never polled); file groups load lazily. */
export class HealthTreeProvider implements vscode.TreeDataProvider<HealthNode>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<HealthNode | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: vscode.Disposable;
  private lastState: Health['state'] | undefined;

  constructor(
    private readonly healthModel: HealthModel,
    private readonly files: FileLister,
  ) {
    this.subscription = healthModel.onDidChange(health => this.refresh(health));
  }

  private refresh(health: Health): void {
    // Work that ended may have swapped files within a group of the same size (a rename answered from the
    // cache embeds nothing, so nothing else says it happened): listed levels are fetched again.
    if (this.lastState === 'indexing' && health.state !== 'indexing') this.files.invalidate();
    this.lastState = health.state;
    this.changed.fire(undefined);
  }

  /** The view's message line (it wraps, where a row is cut off): an error said whole, or an unsaved index.
   *  Not for a model problem: VS Code shows the welcome content (with the fixes) only when there is no message. */
  showMessagesIn(view: vscode.TreeView<HealthNode>): vscode.Disposable {
    const render = (health: Health | undefined) => {
      const unsaved = health?.folders.find(f => f.storeError);
      view.message = health?.problem
        ? undefined
        : health?.state === 'error'
          ? health.message
          : unsaved
            ? `The index of ${unsaved.name} is not saved: ${unsaved.storeError}`
            : undefined;
    };
    render(this.healthModel.health);
    return this.healthModel.onDidChange(render);
  }

  getChildren(node?: HealthNode): vscode.ProviderResult<HealthNode[]> {
    if (!node) return buildNodes(this.healthModel.health);
    if (node.files) return this.files.list(node.id, node.files);
    return node.children ?? [];
  }

  getTreeItem(node: HealthNode): vscode.TreeItem {
    const expandable = node.children?.length || (node.files && node.files.total > 0);
    const state = !expandable
      ? vscode.TreeItemCollapsibleState.None
      : node.expanded
        ? vscode.TreeItemCollapsibleState.Expanded
        : vscode.TreeItemCollapsibleState.Collapsed;
    const item = new vscode.TreeItem(node.label, state);
    item.id = node.id;
    item.description = node.description;
    item.tooltip = node.tooltip;
    item.contextValue = node.contextValue;
    // Read by screen readers (VS Code would read the tooltip otherwise): what the row shows, label first.
    item.accessibilityInformation = { label: node.description ? `${node.label}, ${node.description}` : node.label };
    if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon, node.iconColor ? new vscode.ThemeColor(node.iconColor) : undefined);
    if (node.file) {
      const uri = vscode.Uri.parse(node.file.uri);
      item.resourceUri = uri;
      item.iconPath = vscode.ThemeIcon.File;
      item.contextValue = `file-${node.file.status}`;
      item.command = { command: 'vscode.open', title: 'Open File', arguments: [uri] };
    }
    return item;
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}
