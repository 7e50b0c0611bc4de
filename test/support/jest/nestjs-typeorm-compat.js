// CommonJS stand-in for @nestjs/typeorm's dist/common/typeorm-compat.js under jest. The original shadows `require`
// with createRequire(import.meta.url), which babel's CommonJS transform cannot compile. Same exports, same meaning.
function resolveTypeormExport(name) {
  try {
    return require('typeorm')[name];
  } catch {
    return undefined;
  }
}
exports.Connection = resolveTypeormExport('Connection');
exports.AbstractRepository = resolveTypeormExport('AbstractRepository');
