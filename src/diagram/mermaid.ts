/** Node shapes of a Mermaid flowchart. */
export enum MermaidNodeShape {
  /** `id["text"]` */
  RECTANGLE = 'rectangle',
  /** `id("text")` */
  ROUNDED = 'rounded',
  /** `id(["text"])` */
  STADIUM = 'stadium',
  /** `id{{"text"}}` */
  HEXAGON = 'hexagon',
  /** `id[/"text"/]` */
  PARALLELOGRAM = 'parallelogram',
  /** `id>"text"]` */
  FLAG = 'flag',
}

/** Line styles of a Mermaid flowchart edge. */
export enum MermaidEdgeStyle {
  /** `-->` */
  SOLID = 'solid',
  /** `-.->` */
  DOTTED = 'dotted',
  /** `==>` */
  THICK = 'thick',
}

const SHAPES: Record<MermaidNodeShape, [string, string]> = {
  [MermaidNodeShape.RECTANGLE]: ['[', ']'],
  [MermaidNodeShape.ROUNDED]: ['(', ')'],
  [MermaidNodeShape.STADIUM]: ['([', '])'],
  [MermaidNodeShape.HEXAGON]: ['{{', '}}'],
  [MermaidNodeShape.PARALLELOGRAM]: ['[/', '/]'],
  [MermaidNodeShape.FLAG]: ['>', ']'],
};

const ARROWS: Record<MermaidEdgeStyle, string> = {
  [MermaidEdgeStyle.SOLID]: '-->',
  [MermaidEdgeStyle.DOTTED]: '-.->',
  [MermaidEdgeStyle.THICK]: '==>',
};

const ENTITIES: Record<string, string> = {
  '#': '#35;',
  '"': '#quot;',
  '<': '#lt;',
  '>': '#gt;',
  '&': '#amp;',
  '|': '#124;',
  '`': '#96;',
  '[': '#91;',
  ']': '#93;',
  '{': '#123;',
  '}': '#125;',
};

/**
 * Escapes text for a quoted Mermaid label: characters Mermaid or its HTML labels would interpret
 * become entity codes (`#quot;`, `#lt;`, ...), and line breaks become `<br/>`.
 */
export function mermaidText(text: string): string {
  return text
    .split(/\r?\n/)
    .map((line) => line.replace(/[#"<>&|`[\]{}]/g, (c) => ENTITIES[c]))
    .join('<br/>');
}

/** A Mermaid identifier made of the parts: letters, digits and `_` only, never a keyword. */
export function mermaidId(...parts: string[]): string {
  const id = parts.map((p) => p.replace(/[^A-Za-z0-9]+/g, '_').replace(/^_+|_+$/g, '')).filter(Boolean).join('__');
  return `n_${id || 'node'}`;
}

interface Node { readonly id: string; readonly label: string; readonly shape: MermaidNodeShape; readonly group?: string; readonly cssClass?: string }
interface Edge { readonly from: string; readonly to: string; readonly label?: string; readonly style: MermaidEdgeStyle }
interface Group { readonly id: string; readonly label: string }

/** Options of {@link MermaidFlowchart.addNode}. */
export interface MermaidNodeOptions {
  /** @default MermaidNodeShape.RECTANGLE */
  readonly shape?: MermaidNodeShape;
  /** The subgraph the node is drawn in. @default - none */
  readonly group?: string;
  /** A class declared with `addClass`. @default - none */
  readonly cssClass?: string;
}

/** Options of {@link MermaidFlowchart.addEdge}. */
export interface MermaidEdgeOptions {
  /** @default - no label */
  readonly label?: string;
  /** @default MermaidEdgeStyle.SOLID */
  readonly style?: MermaidEdgeStyle;
}

/**
 * A Mermaid `flowchart` built in code: nodes, subgraphs, edges and classes, rendered in the
 * order added (deterministic), with every label quoted and escaped.
 */
export class MermaidFlowchart {
  private readonly nodes = new Map<string, Node>();
  private readonly groups = new Map<string, Group>();
  private readonly edges: Edge[] = [];
  private readonly edgeKeys = new Set<string>();
  private readonly classes = new Map<string, string>();
  private readonly comments: string[] = [];

  /** Escapes text for a Mermaid label (the class form of {@link mermaidText}). */
  public static escapeText(text: string): string {
    return mermaidText(text);
  }

  /** A Mermaid node id made of parts (the class form of {@link mermaidId}). */
  public static nodeId(...parts: string[]): string {
    return mermaidId(...parts);
  }

  public constructor(private readonly direction: 'LR' | 'TB' = 'LR') {}

  /** True if a node with this id exists. */
  public hasNode(id: string): boolean {
    return this.nodes.has(id);
  }

  /** Adds a node once; a second call with the same id keeps the first. */
  public addNode(id: string, label: string, options: MermaidNodeOptions = {}): string {
    if (!this.nodes.has(id)) this.nodes.set(id, { id, label, shape: options.shape ?? MermaidNodeShape.RECTANGLE, group: options.group, cssClass: options.cssClass });
    return id;
  }

  /** Adds a subgraph once. */
  public addGroup(id: string, label: string): string {
    if (!this.groups.has(id)) this.groups.set(id, { id, label });
    return id;
  }

  /** Adds an edge; an identical edge is drawn once. */
  public addEdge(from: string, to: string, options: MermaidEdgeOptions = {}): void {
    const edge: Edge = { from, to, label: options.label, style: options.style ?? MermaidEdgeStyle.SOLID };
    const key = JSON.stringify(edge);
    if (this.edgeKeys.has(key)) return;
    this.edgeKeys.add(key);
    this.edges.push(edge);
  }

  /** Declares a class (`classDef`), e.g. `addClass('gateway', 'fill:#e8f0fe,stroke:#4a6fa5')`. */
  public addClass(name: string, style: string): void {
    this.classes.set(name, style);
  }

  /** Adds a `%%` comment line at the top. */
  public addComment(text: string): void {
    this.comments.push(text.replace(/[\r\n]+/g, ' '));
  }

  /** True when nothing was added. */
  public get isEmpty(): boolean {
    return this.nodes.size === 0;
  }

  /** The flowchart text. */
  public render(): string {
    const lines = [`flowchart ${this.direction}`];
    for (const c of this.comments) lines.push(`  %% ${c}`);
    for (const [name, style] of this.classes) lines.push(`  classDef ${name} ${style}`);
    const node = (n: Node) => {
      const [open, close] = SHAPES[n.shape];
      return `${n.id}${open}"${mermaidText(n.label)}"${close}${n.cssClass ? `:::${n.cssClass}` : ''}`;
    };
    for (const n of this.nodes.values()) if (!n.group || !this.groups.has(n.group)) lines.push(`  ${node(n)}`);
    for (const g of this.groups.values()) {
      lines.push(`  subgraph ${g.id}["${mermaidText(g.label)}"]`);
      lines.push('    direction TB');
      for (const n of this.nodes.values()) if (n.group === g.id) lines.push(`    ${node(n)}`);
      lines.push('  end');
    }
    for (const e of this.edges) {
      const label = e.label ? `|"${mermaidText(e.label)}"|` : '';
      lines.push(`  ${e.from} ${ARROWS[e.style]}${label} ${e.to}`);
    }
    return `${lines.join('\n')}\n`;
  }
}
