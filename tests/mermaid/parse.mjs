// mermaid's own parser over many diagrams in one process, for tests/mermaid_parser.py.
// stdin: a JSON array of diagram texts (no ``` fence).
// stdout: a JSON array of the same length, each item null (mermaid.parse accepted the text) or the
// parser's error message. With --flowchart, each item is instead {"error": message or null} and,
// for an accepted flowchart, what mermaid read from it: its direction, vertices (id, shape, text),
// edges (start, end, stroke, text) and subgraphs (id, title, nodes), texts as mermaid keeps them
// (entity codes still as its own stand-ins, `ﬂ°°35¶ß` for `#35;`).
//
// mermaid.parse runs the same code as rendering up to the layout (preprocessing, entity codes,
// the diagram's grammar, its database, DOMPurify on labels); DOMPurify needs a window, which
// jsdom gives it: it must exist before mermaid (and so dompurify) is first imported.
import { readFileSync } from 'node:fs';
import { JSDOM } from 'jsdom';

globalThis.window = new JSDOM('').window;
// mermaid logs through console; stdout carries only the answer.
for (const level of ['log', 'info', 'debug', 'warn', 'trace']) console[level] = console.error;

const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false, logLevel: 'fatal' });

const flowchart = process.argv.includes('--flowchart');
const texts = JSON.parse(readFileSync(0, 'utf8'));
if (!Array.isArray(texts) || !texts.every((t) => typeof t === 'string')) {
  console.error('parse.mjs: stdin must be a JSON array of strings');
  process.exit(2);
}

async function contents(text) {
  const { type, db } = await mermaid.mermaidAPI.getDiagramFromText(text);
  if (!db.getVertices) return { type };
  return {
    type,
    direction: db.getDirection(),
    vertices: [...db.getVertices().values()].map((v) => ({ id: v.id, shape: v.type, text: v.text })),
    edges: db.getEdges().map((e) => ({ start: e.start, end: e.end, stroke: e.stroke, text: e.text })),
    subgraphs: db.getSubGraphs().map((s) => ({ id: s.id, title: s.title, nodes: s.nodes })),
  };
}

const answers = [];
for (const text of texts) {
  let error = null;
  try {
    await mermaid.parse(text);
  } catch (caught) {
    error = String(caught?.message ?? caught);
  }
  answers.push(!flowchart ? error : error !== null ? { error } : { error, ...(await contents(text)) });
}
process.stdout.write(JSON.stringify(answers));
