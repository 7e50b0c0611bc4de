// The folders under src/ are layers: a file may import from a folder in a lower layer, never from its own layer's
// other folders or from a higher one. A strict order admits no cycle, direct or through other folders. The entry
// points (files directly under src/), Nest's *.module.ts wiring and the data source's entity list are exempt: they
// are where the layers are put together.
import fs from 'node:fs';
import path from 'node:path';

function isDirectory(p) {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

/** @type {import('eslint').Rule.RuleModule} */
const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports between the top-level folders of src/ follow the declared layers' },
    schema: [
      {
        type: 'object',
        properties: {
          root: { type: 'string' },
          layers: { type: 'array', items: { type: 'array', items: { type: 'string' } } },
          exempt: { type: 'array', items: { type: 'string' } },
        },
        required: ['root', 'layers'],
        additionalProperties: false,
      },
    ],
    messages: {
      upward:
        "'{{from}}' may not import from '{{to}}' ({{target}}): '{{to}}' is in layer {{toLayer}}, at or above " +
        "'{{from}}' (layer {{fromLayer}}). Move the shared part down, or the importing part up. Layers: {{order}}.",
      unlisted: 'src/{{folder}}/ is in no layer: add it to the layers in eslint.config.mjs.',
      entryPoint: "'{{from}}' may not import the entry point {{target}}.",
    },
  },
  create(context) {
    const { root, layers, exempt = [] } = context.options[0];
    const srcRoot = path.resolve(context.cwd, root);
    const rank = new Map(layers.flatMap((names, i) => names.map((name) => [name, i])));
    const order = layers.map((names) => names.join(' | ')).join(' < ');
    const file = path.resolve(context.filename);
    const relative = path.relative(srcRoot, file);
    if (relative.startsWith('..') || path.isAbsolute(relative)) return {};
    const parts = relative.split(path.sep);
    if (parts.length < 2) return {}; // an entry point
    const posix = parts.join('/');
    if (posix.endsWith('.module.ts') || exempt.includes(posix)) return {};
    const from = parts[0];

    function check(node, specifier) {
      if (typeof specifier !== 'string' || !specifier.startsWith('.')) return;
      const target = path.relative(srcRoot, path.resolve(path.dirname(file), specifier));
      if (target.startsWith('..')) return; // outside src/
      const targetParts = target.split(path.sep);
      if (targetParts.length === 1 && !isDirectory(path.join(srcRoot, target))) {
        context.report({ node, messageId: 'entryPoint', data: { from, target: `src/${targetParts[0]}` } });
        return;
      }
      const to = targetParts[0];
      if (to === from) return;
      const fromLayer = rank.get(from);
      const toLayer = rank.get(to);
      if (fromLayer === undefined || toLayer === undefined) {
        context.report({ node, messageId: 'unlisted', data: { folder: fromLayer === undefined ? from : to } });
        return;
      }
      if (toLayer >= fromLayer) {
        context.report({
          node,
          messageId: 'upward',
          data: { from, to, target: targetParts.join('/'), fromLayer, toLayer, order },
        });
      }
    }

    return {
      ImportDeclaration: (node) => check(node.source, node.source.value),
      ExportNamedDeclaration: (node) => node.source && check(node.source, node.source.value),
      ExportAllDeclaration: (node) => check(node.source, node.source.value),
      ImportExpression: (node) => node.source.type === 'Literal' && check(node.source, node.source.value),
      TSImportEqualsDeclaration: (node) =>
        node.moduleReference.type === 'TSExternalModuleReference' &&
        check(node.moduleReference.expression, node.moduleReference.expression.value),
      CallExpression: (node) =>
        node.callee.type === 'Identifier' &&
        node.callee.name === 'require' &&
        node.arguments[0]?.type === 'Literal' &&
        check(node.arguments[0], node.arguments[0].value),
    };
  },
};

export default { rules: { 'folder-layers': rule } };
