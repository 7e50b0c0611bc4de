// Some @nestjs packages shadow `require` with `const require = createRequire(import.meta.url)`, which babel's
// CommonJS transform cannot compile (its own imports then hit the shadowed name). Compiled to CommonJS, the module
// already has a `require` of its own, so the declaration is simply dropped.
module.exports = function dropCreateRequire() {
  return {
    visitor: {
      VariableDeclaration(path) {
        const [decl] = path.node.declarations;
        if (
          path.node.declarations.length === 1 &&
          decl.id.type === 'Identifier' &&
          decl.id.name === 'require' &&
          decl.init?.type === 'CallExpression' &&
          decl.init.callee.type === 'Identifier' &&
          decl.init.callee.name === 'createRequire'
        ) {
          path.remove();
        }
      },
    },
  };
};
