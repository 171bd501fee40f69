// The drawing of the SAN graph in one <svg>: built once per topology (every node, every edge as
// one path), then changed in place: a node's state, labels and marks only when they differ, the
// few stream routes and zones as small overlays. Pan and zoom (d3-zoom on the stage around the
// <svg>) are one CSS transform of the <svg>, a layer of its own, so a pan moves pixels already
// drawn and paints nothing; when a zoom comes to rest the <svg> is drawn again at the new scale
// (sharp, and far out without the text, which would be unreadable). Keyboard: one node is in
// the tab order at a time; arrow keys move between nodes by column and row, Enter or Space
// activates, + and - zoom, 0 fits. Knows no Vue and no engine.
import { select, zoom, zoomIdentity, type D3ZoomEvent, type Selection, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { ResourceState } from '../../../engine/contract';
import { iconId } from './icons';
import { CELL, edgeWaypoints, GROUP_GAP, type Layer, type SanLayout } from './layout';
import type { SanEdge, Topology } from './topology';

const SVG = 'http://www.w3.org/2000/svg';
/** Below this scale the text of nodes is hidden. */
const TEXT_MIN_SCALE = 0.45;
const MAX_SCALE = 3;
const PLATE = { width: CELL.width - 20, height: CELL.height - 16 };
const NAME_CHARS = 22;
/** Font size of the layer titles in drawing units, when they fit. */
const TITLE_SIZE = 16;
const STREAM_COLOURS = 6;
/** Keys that zoom while a node has the focus: by a factor, or 0 to fit the graph. */
const ZOOM_KEYS: Record<string, number> = { '+': 1.4, '=': 1.4, '-': 1 / 1.4, '0': 0 };
/** How far below the first pass a route's second pass over one link is drawn. */
const ROUTE_RETURN_SHIFT = 7;

/** How one node looks; the scene redraws a node only when this changes. */
export interface NodeDisplay {
  state: ResourceState;
  /** Second line: the state in words. */
  stateText: string;
  /** Third line (live throughput, a tape), or ''. */
  detail: string;
  /** The colour of the stream holding it, or null. */
  stream: number | null;
  /** Its accessible name: kind, name, state, marks. */
  label: string;
}

/** A stream drawn through the graph. */
export interface RouteDisplay {
  key: string;
  nodes: number[];
  stream: number;
  /** planned: what a plan would reserve; live: running or reserved; failed; standby: a failover stream not yet needed. */
  style: 'planned' | 'live' | 'failed' | 'standby';
  title: string;
}

/** A chip on a node: pinned to or excluded from a stream (or every stream: stream null). */
export interface MarkDisplay {
  node: number;
  kind: 'pin' | 'exclude';
  stream: number | null;
  text: string;
}

export interface ZoneDisplay {
  key: string;
  name: string;
  stream: number;
  edges: SanEdge[];
}

export interface SceneHandlers {
  /** A node was clicked, or Enter/Space pressed on it. */
  activate(node: number): void;
}

function streamClass(stream: number): string {
  return `s-${stream % STREAM_COLOURS}`;
}

function element<K extends keyof SVGElementTagNameMap>(tag: K, attributes: Record<string, string | number>, parent?: Node): SVGElementTagNameMap[K] {
  const el = document.createElementNS(SVG, tag);
  for (const [name, value] of Object.entries(attributes)) el.setAttribute(name, String(value));
  parent?.appendChild(el);
  return el;
}

/** A name cut to what a node's plate can show. */
function shortName(name: string): string {
  return name.length <= NAME_CHARS ? name : `${name.slice(0, NAME_CHARS - 1)}…`;
}

interface NodeElements {
  group: SVGGElement;
  state: SVGTextElement;
  detail: SVGTextElement;
  badge: SVGUseElement;
}

export class SanScene {
  private readonly root: Selection<HTMLElement, unknown, null, undefined>;
  private readonly viewport: SVGGElement;
  private readonly layers: { links: SVGPathElement; zones: SVGGElement; routes: SVGGElement; nodes: SVGGElement; marks: SVGGElement; titles: SVGGElement };
  private readonly behaviour: ZoomBehavior<HTMLElement, unknown>;
  private topology: Topology | null = null;
  private layout: SanLayout | null = null;
  private elements: NodeElements[] = [];
  private shown: (NodeDisplay | undefined)[] = [];
  private titles: { text: SVGTextElement; widest: number }[] = [];
  private selected: number | null = null;
  private current = 0;
  private far = false;
  private transform: ZoomTransform = zoomIdentity;
  /** The scale the <svg> is drawn at, and the drawing's top left corner (in drawing units). */
  private drawn = { scale: 0, x0: 0, y0: 0 };
  /** Fitted to a stage with a size (a stage not laid out yet has none): a resize then keeps the scale. */
  private fitted = false;
  private readonly stopListening: () => void;

  constructor(
    private readonly stage: HTMLElement,
    private readonly svg: SVGSVGElement,
    private readonly handlers: SceneHandlers,
  ) {
    this.root = select(stage);
    this.viewport = element('g', { class: 'viewport' }, svg);
    this.layers = {
      links: element('path', { class: 'links' }, this.viewport),
      zones: element('g', { class: 'zones' }, this.viewport),
      routes: element('g', { class: 'routes' }, this.viewport),
      nodes: element('g', { class: 'nodes' }, this.viewport),
      marks: element('g', { class: 'marks', 'aria-hidden': 'true' }, this.viewport),
      titles: element('g', { class: 'titles', 'aria-hidden': 'true' }, this.viewport),
    };
    this.behaviour = zoom<HTMLElement, unknown>()
      .scaleExtent([0.02, MAX_SCALE])
      .extent(() => [
        [0, 0],
        [this.width(), this.height()],
      ])
      .on('zoom', (event: D3ZoomEvent<HTMLElement, unknown>) => this.onZoom(event.transform))
      .on('end', () => this.drawAt(this.transform.k));
    this.root.call(this.behaviour).on('dblclick.zoom', null);

    const nodes = this.layers.nodes;
    const onClick = (event: MouseEvent) => {
      const node = this.nodeOf(event.target);
      if (node !== null) this.handlers.activate(node);
    };
    const onKey = (event: KeyboardEvent) => this.onKey(event);
    const onFocus = (event: FocusEvent) => {
      const node = this.nodeOf(event.target);
      if (node !== null) this.makeCurrent(node);
    };
    nodes.addEventListener('click', onClick);
    nodes.addEventListener('keydown', onKey);
    nodes.addEventListener('focusin', onFocus);
    this.stopListening = () => {
      nodes.removeEventListener('click', onClick);
      nodes.removeEventListener('keydown', onKey);
      nodes.removeEventListener('focusin', onFocus);
    };
  }

  /** Draws a new topology: every node and edge, once; then fits it to the view. */
  setGraph(topology: Topology, layout: SanLayout, layerTitles: Record<Layer, string>, nodeLabels: (node: number) => { name: string; kind: string }): void {
    this.topology = topology;
    this.layout = layout;
    const { places } = layout;
    this.layers.links.setAttribute('d', topology.edges.map((e) => this.segment(e.a, e.b, true)).join(''));

    const fragment = document.createDocumentFragment();
    this.elements = topology.nodes.map((node, i) => {
      const place = places[i]!;
      const labels = nodeLabels(i);
      const group = element('g', { class: `node kind-${node.kind}`, transform: `translate(${place.x},${place.y})`, tabindex: -1, role: 'button', 'data-node': i }, fragment);
      element('rect', { class: 'plate', x: -PLATE.width / 2, y: -PLATE.height / 2, width: PLATE.width, height: PLATE.height, rx: 8 }, group);
      element('use', { class: 'icon', href: `#${iconId(node.kind)}`, x: -14, y: -PLATE.height / 2 + 5, width: 28, height: 28 }, group);
      const badge = element('use', { class: 'badge', x: 9, y: -PLATE.height / 2 + 2, width: 14, height: 14 }, group);
      const name = element('text', { class: 'name', y: 6 }, group);
      name.textContent = shortName(labels.name);
      const title = element('title', {}, group);
      title.textContent = `${labels.name} (${node.id}, ${labels.kind})`;
      const state = element('text', { class: 'state', y: 20 }, group);
      const detail = element('text', { class: 'detail', y: 34 }, group);
      return { group, state, detail, badge };
    });
    this.shown = [];
    this.layers.nodes.replaceChildren(fragment);
    this.makeCurrent(Math.max(0, layout.columns[0]?.[0] ?? 0));
    this.selected = null;

    this.titles = layout.bands.map((band) => {
      const text = element('text', { class: 'layer-title', x: (band.x0 + band.x1) / 2 });
      text.textContent = layerTitles[band.layer];
      // The largest font (in drawing units) at which the title still fits over its band.
      return { text, widest: (band.x1 - band.x0 + GROUP_GAP * 0.8) / (0.56 * Math.max(1, layerTitles[band.layer].length)) };
    });
    this.layers.titles.replaceChildren(...this.titles.map((title) => title.text));
    this.drawn.scale = 0;
    this.fit();
    afterPaint(() => performance.mark('san-graph-drawn', { detail: { nodes: topology.nodes.length } }));
  }

  /** Updates the nodes whose display changed. */
  updateNodes(displays: readonly NodeDisplay[]): void {
    displays.forEach((display, i) => {
      const before = this.shown[i];
      const el = this.elements[i];
      if (!el || (before && sameDisplay(before, display))) return;
      if (!before || before.state !== display.state || before.stream !== display.stream) {
        const kind = this.topology!.nodes[i]!.kind;
        const held = display.stream === null ? '' : ` held ${streamClass(display.stream)}`;
        el.group.setAttribute('class', `node kind-${kind} state-${display.state}${held}${this.selected === i ? ' selected' : ''}`);
        el.badge.setAttribute('href', `#san-badge-${display.state}`);
      }
      if (before?.stateText !== display.stateText) el.state.textContent = display.stateText;
      if (before?.detail !== display.detail) el.detail.textContent = display.detail;
      if (before?.label !== display.label) el.group.setAttribute('aria-label', display.label);
      this.shown[i] = display;
    });
  }

  setSelected(node: number | null): void {
    if (this.selected !== null) this.elements[this.selected]?.group.classList.remove('selected');
    this.selected = node;
    if (node !== null) this.elements[node]?.group.classList.add('selected');
  }

  setRoutes(routes: readonly RouteDisplay[]): void {
    this.layers.routes.replaceChildren(
      ...routes.map((route) => {
        const path = element('path', { class: `route ${route.style} ${streamClass(route.stream)}`, d: this.polyline(route.nodes), 'data-route': route.key });
        element('title', {}, path).textContent = route.title;
        return path;
      }),
    );
  }

  setMarks(marks: readonly MarkDisplay[]): void {
    const places = this.layout?.places ?? [];
    const stacked = new Map<number, number>();
    this.layers.marks.replaceChildren(
      ...marks.flatMap((mark) => {
        const place = places[mark.node];
        if (!place) return [];
        const k = stacked.get(mark.node) ?? 0;
        stacked.set(mark.node, k + 1);
        const colour = mark.stream === null ? 'all' : streamClass(mark.stream);
        const chip = element('g', { class: `mark ${mark.kind} ${colour}`, transform: `translate(${place.x - PLATE.width / 2 + 6},${place.y - PLATE.height / 2 + 6 + k * 17})` });
        element('rect', { width: 52, height: 15, rx: 4 }, chip);
        element('text', { x: 26, y: 11 }, chip).textContent = mark.text;
        return [chip];
      }),
    );
  }

  setZones(zones: readonly ZoneDisplay[], visible: boolean): void {
    this.layers.zones.style.display = visible ? '' : 'none';
    this.layers.zones.replaceChildren(
      ...zones.map((zone) => {
        const group = element('g', { class: `zone ${streamClass(zone.stream)}`, 'data-zone': zone.key });
        element('path', { d: zone.edges.map((e) => this.segment(e.a, e.b, true)).join('') }, group);
        const first = zone.edges[0];
        if (first) {
          const [a, b] = [this.layout!.places[first.a]!, this.layout!.places[first.b]!];
          element('text', { x: (a.x + b.x) / 2, y: (a.y + b.y) / 2 - 8 }, group).textContent = zone.name;
        }
        return group;
      }),
    );
  }

  /** Shows the whole graph, at most at scale 1. */
  fit(): void {
    const b = this.layout?.bounds;
    if (!b) return;
    this.fitted = this.stage.clientWidth > 0;
    const [w, h] = [this.width(), this.height()];
    const margin = 24;
    // The titles' room depends on the scale: fit twice, the second time with the first's room.
    let scale = 1;
    let top = b.y0;
    for (let pass = 0; pass < 2; pass++) {
      top = b.y0 - 14 - 2 * this.titleSize(scale);
      scale = Math.max(0.02, Math.min(1, (w - 2 * margin) / Math.max(1, b.x1 - b.x0), (h - 2 * margin) / Math.max(1, b.y1 - top)));
    }
    this.behaviour.scaleExtent([Math.min(0.5, scale / 2), MAX_SCALE]);
    const x = (w - scale * (b.x1 - b.x0)) / 2 - scale * b.x0;
    const y = (h - scale * (b.y1 - top)) / 2 - scale * top;
    this.root.interrupt().call(this.behaviour.transform, zoomIdentity.translate(x, y).scale(scale));
  }

  /**
   * After the stage changed size (a panel opened, the window was resized): the first real size
   * is fitted; later the scale stays (the labels stay readable) and the selected node in view.
   */
  resized(): void {
    if (!this.fitted) this.fit();
    else if (this.selected !== null) this.reveal(this.selected);
  }

  zoomBy(factor: number): void {
    this.root.transition().duration(150).call(this.behaviour.scaleBy, factor);
  }

  /** Moves the keyboard focus to a node, bringing it into view. */
  focusNode(node: number): void {
    const el = this.elements[node];
    if (!el) return;
    this.makeCurrent(node);
    el.group.focus({ preventScroll: true });
    this.reveal(node);
  }

  destroy(): void {
    this.stopListening();
    this.root.interrupt().on('.zoom', null);
    this.viewport.remove();
  }

  /** Moves the drawn <svg> to the transform: a CSS transform of its layer, nothing painted. */
  private onZoom(transform: ZoomTransform): void {
    this.transform = transform;
    if (this.drawn.scale === 0) this.drawAt(transform.k);
    const { scale, x0, y0 } = this.drawn;
    const x = transform.x + x0 * transform.k;
    const y = transform.y + y0 * transform.k;
    this.svg.style.transform = `translate(${x.toFixed(2)}px,${y.toFixed(2)}px) scale(${(transform.k / scale).toFixed(5)})`;
  }

  /** Layer titles: one size for all, at least 13px on screen far out, never wider than a band. */
  private titleSize(k: number): number {
    return Math.min(Math.max(TITLE_SIZE, 13 / k), ...this.titles.map((title) => title.widest));
  }

  /** Draws the <svg> at a scale (when a zoom has come to rest there). */
  private drawAt(k: number): void {
    const b = this.layout?.bounds;
    if (!b || Math.abs(k / this.drawn.scale - 1) < 1e-3) return;
    const size = this.titleSize(k);
    const titleY = b.y0 - 14 - size;
    for (const { text } of this.titles) {
      text.setAttribute('font-size', size.toFixed(2));
      text.setAttribute('y', titleY.toFixed(1));
    }
    const margin = 24 / k;
    const x0 = b.x0 - margin;
    const y0 = titleY - size - margin;
    this.drawn = { scale: k, x0, y0 };
    this.svg.setAttribute('width', String(Math.ceil((b.x1 + margin - x0) * k)));
    this.svg.setAttribute('height', String(Math.ceil((b.y1 + margin - y0) * k)));
    this.viewport.setAttribute('transform', `scale(${k}) translate(${-x0},${-y0})`);
    const far = k < TEXT_MIN_SCALE;
    if (far !== this.far) {
      this.far = far;
      this.viewport.classList.toggle('far', far);
    }
    this.onZoom(this.transform);
  }

  private onKey(event: KeyboardEvent): void {
    const node = this.nodeOf(event.target);
    if (node === null) return;
    if (event.key === 'Enter' || event.key === ' ') {
      event.preventDefault();
      this.handlers.activate(node);
      return;
    }
    const zoomKey = ZOOM_KEYS[event.key];
    if (zoomKey !== undefined) {
      event.preventDefault();
      if (zoomKey === 0) this.fit();
      else this.zoomBy(zoomKey);
      return;
    }
    const next = this.neighbourInDirection(node, event.key);
    if (next === null) return;
    event.preventDefault();
    this.focusNode(next);
  }

  /** The node an arrow key, Home or End leads to from `node`. */
  private neighbourInDirection(node: number, key: string): number | null {
    const layout = this.layout!;
    const place = layout.places[node]!;
    const column = layout.columns[place.column]!;
    switch (key) {
      case 'ArrowUp':
        return column[place.row - 1] ?? null;
      case 'ArrowDown':
        return column[place.row + 1] ?? null;
      case 'Home':
        return layout.columns[0]?.[0] ?? null;
      case 'End': {
        const last = layout.columns[layout.columns.length - 1];
        return last?.[last.length - 1] ?? null;
      }
      case 'ArrowLeft':
      case 'ArrowRight': {
        const step = key === 'ArrowLeft' ? -1 : 1;
        for (let c = place.column + step; c >= 0 && c < layout.columns.length; c += step) {
          const candidates = layout.columns[c]!;
          if (candidates.length === 0) continue;
          return candidates.reduce((best, v) => (Math.abs(layout.places[v]!.y - place.y) < Math.abs(layout.places[best]!.y - place.y) ? v : best));
        }
        return null;
      }
      default:
        return null;
    }
  }

  private makeCurrent(node: number): void {
    if (this.current === node && this.elements[node]?.group.getAttribute('tabindex') === '0') return;
    this.elements[this.current]?.group.setAttribute('tabindex', '-1');
    this.current = node;
    this.elements[node]?.group.setAttribute('tabindex', '0');
  }

  /** Pans so that a node off screen (or under the edge) comes into view. */
  private reveal(node: number): void {
    const place = this.layout!.places[node]!;
    const [sx, sy] = this.transform.apply([place.x, place.y]);
    const margin = 100;
    if (sx > margin && sx < this.width() - margin && sy > margin && sy < this.height() - margin) return;
    this.root.transition().duration(200).call(this.behaviour.translateTo, place.x, place.y);
  }

  private nodeOf(target: EventTarget | null): number | null {
    const group = target instanceof Element ? target.closest('.node') : null;
    const index = group?.getAttribute('data-node');
    return index == null ? null : Number(index);
  }

  /**
   * The path of one edge: horizontal S-curves through the row gaps of the columns it crosses
   * (layout.edgeWaypoints), an arc when both ends are in one column.
   */
  private segment(a: number, b: number, move: boolean, shift = 0): string {
    const layout = this.layout!;
    const [p, q] = [layout.places[a]!, layout.places[b]!];
    const start = move ? `M${p.x},${p.y + shift}` : '';
    if (p.column === q.column) return `${start}Q${p.x + CELL.width / 2},${(p.y + q.y) / 2 + shift} ${q.x},${q.y + shift}`;
    const points: [number, number][] = [[p.x, p.y], ...edgeWaypoints(layout, a, b), [q.x, q.y]];
    let d = start;
    for (let i = 1; i < points.length; i++) {
      const [x0, y0] = points[i - 1]!;
      const [x1, y1] = points[i]!;
      const mid = (x0 + x1) / 2;
      d += `C${mid},${y0 + shift} ${mid},${y1 + shift} ${x1},${y1 + shift}`;
    }
    return d;
  }

  /**
   * A route through nodes. A link it takes twice (storage -> switch -> mover and back through the
   * same switch to the library) is drawn the second time a few pixels lower, so both legs show.
   */
  private polyline(nodes: readonly number[]): string {
    const taken = new Set<string>();
    let d = '';
    let previous = 0;
    for (let i = 1; i < nodes.length; i++) {
      const [a, b] = [nodes[i - 1]!, nodes[i]!];
      const key = a < b ? `${a}-${b}` : `${b}-${a}`;
      const shift = taken.has(key) ? ROUTE_RETURN_SHIFT : 0;
      taken.add(key);
      // A leg at another height than the one before starts a new subpath.
      d += this.segment(a, b, i === 1 || shift !== previous, shift);
      previous = shift;
    }
    return d;
  }

  private width(): number {
    return this.stage.clientWidth || 800;
  }

  private height(): number {
    return this.stage.clientHeight || 600;
  }
}

function sameDisplay(a: NodeDisplay, b: NodeDisplay): boolean {
  return a.state === b.state && a.stateText === b.stateText && a.detail === b.detail && a.stream === b.stream && a.label === b.label;
}

/** Runs `fn` once the frame now being prepared has been painted. */
function afterPaint(fn: () => void): void {
  requestAnimationFrame(() => setTimeout(fn, 0));
}
