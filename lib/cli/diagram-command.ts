import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Command, Option } from 'commander';
import { modelFromDist } from './dist-model';
import { mermaid, svg } from './diagram';

/** The pictures `hyperkube diagram` draws. */
export const DIAGRAM_FORMATS = ['mermaid', 'svg'] as const;
export type DiagramFormat = typeof DIAGRAM_FORMATS[number];

/** What `hyperkube diagram` is asked for. */
export interface DiagramOptions {
  /** Folder of the synthesized manifests. @default 'dist' */
  readonly dist?: string;
  /** @default 'mermaid' */
  readonly format?: DiagramFormat;
  /** File to write; stdout when absent. */
  readonly out?: string;
  /** The network to draw, when the folder holds several. */
  readonly network?: string;
}

/** `hyperkube diagram`: the network an app describes, drawn from `dist/`, without a cluster. */
export function registerDiagram(program: Command): void {
  program.command('diagram')
    .description('Draw the network an app describes (organizations, nodes, channels, chaincodes) from the manifests `cdk8s synth` wrote; no cluster needed.')
    .option('--dist <dir>', 'the folder of the synthesized manifests (*.k8s.yaml)', 'dist')
    .addOption(new Option('--format <format>', 'a Mermaid flowchart or a standalone SVG').choices(DIAGRAM_FORMATS).default('mermaid'))
    .option('--out <file>', 'the file to write (default: stdout)')
    .option('--network <name>', 'the network to draw, when the folder holds several')
    .action((options: DiagramOptions) => {
      const picture = drawDiagram(options);
      if (options.out) {
        mkdirSync(dirname(options.out), { recursive: true });
        writeFileSync(options.out, picture);
      } else {
        process.stdout.write(picture);
      }
    });
}

/** The picture `options` ask for, of the one network they name or the folder holds. */
export function drawDiagram(options: DiagramOptions = {}): string {
  const format = options.format ?? 'mermaid';
  if (!DIAGRAM_FORMATS.includes(format)) {
    throw new Error(`format "${String(format)}" is not one hyperkube diagram draws; use ${DIAGRAM_FORMATS.join(' or ')}.`);
  }
  const model = modelFromDist(options.dist ?? 'dist', options.network);
  return format === 'svg' ? svg(model) : mermaid(model);
}
