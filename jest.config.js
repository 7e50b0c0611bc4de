// NestJS 12 ships as ES modules. Node runs them from our CommonJS build through require(esm), but jest's own
// module loader cannot, so jest compiles the @nestjs packages to CommonJS with babel (import.meta included).
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  testRegex: ['src/.*\\.spec\\.ts$', 'test/.*\\.spec\\.ts$', 'test/.*\\.e2e-spec\\.ts$'],
  transform: {
    '^.+\\.ts$': ['ts-jest', {}],
    '^.+/node_modules/@nestjs/.+\\.js$': [
      'babel-jest',
      {
        babelrc: false,
        configFile: false,
        plugins: [
          require.resolve('./test/support/jest/babel-drop-create-require.js'),
          'babel-plugin-transform-import-meta',
          '@babel/plugin-transform-dynamic-import',
          '@babel/plugin-transform-modules-commonjs',
        ],
      },
    ],
  },
  transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
  moduleNameMapper: {
    '^\\./(common/)?typeorm-compat\\.js$': '<rootDir>/test/support/jest/nestjs-typeorm-compat.js',
  },
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 30_000,
};
