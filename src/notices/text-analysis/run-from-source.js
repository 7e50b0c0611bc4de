// The text pool's worker thread when the app runs from its TypeScript sources (under jest): plain Node cannot load
// .ts files, so this compiles them as they are required. The built app runs the compiled worker and never loads this.
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const { outputText } = ts.transpileModule(fs.readFileSync(filename, 'utf8'), {
    fileName: filename,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2023,
      esModuleInterop: true,
      resolveJsonModule: true,
    },
  });
  module._compile(outputText, filename);
};
require('./notice-analysis.worker.ts');
