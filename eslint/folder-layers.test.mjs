// The folder-layers rule on made-up files: run by test/folder-layers.spec.ts (node runs ES modules; jest does not).
import { RuleTester } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import layers from './folder-layers.mjs';

const root = path.resolve(import.meta.dirname, '..', 'src');
const options = [
  {
    root,
    layers: [['core'], ['links'], ['cases'], ['letters', 'notices'], ['staff-ui']],
    exempt: ['core/database/entities.ts'],
  },
];
const at = (file) => path.join(root, file);
const tester = new RuleTester({ languageOptions: { parser: tseslint.parser } });
const rule = layers.rules['folder-layers'];

tester.run('folder-layers', rule, {
  valid: [
    { filename: at('cases/case.entity.ts'), code: "import { x } from '../core/config';", options },
    { filename: at('cases/case.entity.ts'), code: "import { x } from '../links';", options },
    { filename: at('cases/case.entity.ts'), code: "import { x } from './audit';", options },
    { filename: at('staff-ui/page.ts'), code: "export { x } from '../notices/intake.service';", options },
    { filename: at('cases/case.entity.ts'), code: "import { Module } from '@nestjs/common';", options },
    // Wiring and entry points put the layers together.
    { filename: at('cases/cases.module.ts'), code: "import { x } from '../staff-ui/page';", options },
    { filename: at('core/database/entities.ts'), code: "import { Case } from '../../cases/case.entity';", options },
    { filename: at('main.ts'), code: "import { x } from './staff-ui/page';", options },
  ],
  invalid: [
    // Upward, a peer in the same layer, and the same through export, dynamic import, require and type imports.
    {
      filename: at('cases/x.ts'),
      code: "import { y } from '../staff-ui/page';",
      options,
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('letters/x.ts'),
      code: "import { y } from '../notices/n';",
      options,
      errors: [{ messageId: 'upward' }],
    },
    { filename: at('core/x.ts'), code: "export * from '../cases/y';", options, errors: [{ messageId: 'upward' }] },
    { filename: at('core/x.ts'), code: "export { z } from '../cases/y';", options, errors: [{ messageId: 'upward' }] },
    { filename: at('core/x.ts'), code: "const m = import('../cases/y');", options, errors: [{ messageId: 'upward' }] },
    { filename: at('core/x.ts'), code: "const m = require('../cases/y');", options, errors: [{ messageId: 'upward' }] },
    {
      filename: at('core/x.ts'),
      code: "import type { C } from '../cases/y';",
      options,
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('core/http/x.ts'),
      code: "import { C } from '../../links/y';",
      options,
      errors: [{ messageId: 'upward' }],
    },
    {
      filename: at('cases/x.ts'),
      code: "import { y } from '../main';",
      options,
      errors: [{ messageId: 'entryPoint' }],
    },
    {
      filename: at('cases/x.ts'),
      code: "import { y } from '../nowhere/y';",
      options,
      errors: [{ messageId: 'unlisted' }],
    },
  ],
});
console.log('folder-layers: every case passed');
