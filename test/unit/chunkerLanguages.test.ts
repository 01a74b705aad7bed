// Declaration boundaries per language, on small realistic fixtures: exact symbols, kinds and 1-based lines.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Chunker } from '../../server/src/engine/chunker/chunker';
import type { ModelTokenizer } from '../../server/src/engine/model/tokenizer';
import { assertInvariants, FIXTURES, rows, setup } from './chunkerTestUtil';

const WHOLE: Record<string, { language: string; rows: string[] }> = {
  'inventory.py': {
    language: 'python',
    rows: [
      '1-6 lines',
      '9-15 class Item',
      '18-42 class Inventory',
      '45-47 function find_low_stock',
      '50-54 function restock',
      '57-60 lines',
    ],
  },
  'server.go': {
    language: 'go',
    rows: [
      '1-11 lines',
      '13-17 struct Entry',
      '19-24 struct Store',
      '26-29 interface Getter',
      '31-34 function NewStore',
      '36-45 method Store.Get',
      '47-52 method Store.Set',
      '54-54 method Store.Len',
    ],
  },
  'shapes.rs': {
    language: 'rust',
    rows: [
      '1-6 lines',
      '8-15 trait Shape',
      '17-21 struct Rect',
      '23-31 impl Rect',
      '33-37 impl Rect',
      '39-43 impl Rect',
      '45-48 enum Kind',
      '50-54 macro square',
      '56-60 module util',
    ],
  },
  'Library.java': { language: 'java', rows: ['1-5 lines', '7-49 class Library', '51-53 interface Catalogue'] },
  'ringbuf.c': {
    language: 'c',
    rows: [
      '1-5 lines',
      '7-12 struct ring_buffer',
      '14-18 enum rb_status',
      '20-32 function rb_create',
      '34-37 function rb_used',
      '39-46 function rb_push',
      '48-52 function rb_free',
    ],
  },
  'matrix.cpp': {
    language: 'cpp',
    rows: [
      '1-4 lines',
      '6-6 namespace linalg',
      '8-26 class linalg.Matrix',
      '28-35 method linalg.Matrix.transpose',
      '37-40 struct linalg.Point',
      '42-44 function linalg.dot',
      '46-46 namespace linalg',
      '48-52 function main',
    ],
  },
  'OrderService.cs': {
    language: 'c_sharp',
    rows: [
      '1-3 lines',
      '5-6 namespace Shop.Orders',
      '7-8 record Shop.Orders.OrderLine',
      '10-14 interface Shop.Orders.IOrderRepository',
      '16-16 enum Shop.Orders.OrderState',
      '18-33 class Shop.Orders.Order',
      '35-52 class Shop.Orders.OrderService',
      '54-59 struct Shop.Orders.Money',
    ],
  },
  'TodoList.tsx': {
    language: 'tsx',
    // TodoList is over 254 tokens and has no inner declarations: two line windows, balanced.
    rows: [
      '1-2 lines',
      '4-7 interface TodoListProps',
      '9-9 type Filter',
      '11-19 function TodoList',
      '20-33 function TodoList',
      '35-43 function FilterBar',
      '45-55 class TodoErrorBoundary',
    ],
  },
  'shop.rb': { language: 'ruby', rows: ['1-14 module Shop', '15-16 class Shop.Cart', '17-19 function top'] },
  'User.php': {
    language: 'php',
    rows: [
      '1-6 lines',
      '8-24 class User',
      '26-26 interface Repo',
      '27-27 trait HasName',
      '28-28 enum Suit',
      '30-33 function helper',
      '34-36 namespace Other',
    ],
  },
  'Cart.kt': {
    language: 'kotlin',
    rows: [
      '1-3 lines',
      '5-18 class Cart',
      '20-22 interface Repo',
      '24-27 object Registry',
      '29-29 enum Color',
      '31-31 function second',
      '33-34 property topLevel',
      '36-36 lines',
    ],
  },
  'Shapes.swift': {
    language: 'swift',
    rows: [
      '1-6 interface Shape',
      '8-19 struct Circle',
      '21-24 class Store',
      '26-28 extension Circle',
      '30-32 enum Dir',
      '34-34 class Bank',
      '36-38 function main',
      '39-39 lines',
    ],
  },
  'Cart.scala': {
    language: 'scala',
    rows: [
      '1-3 lines',
      '5-14 class Cart',
      '16-19 object Cart',
      '21-23 trait Repo',
      '25-25 class Shape',
      '26-28 enum Color',
      '30-31 function top',
      '33-34 object intOrd',
      '36-36 lines',
    ],
  },
  'deploy.sh': {
    language: 'bash',
    rows: ['1-2 lines', '4-7 function usage', '9-11 function build', '13-15 function deploy', '17-17 function main', '18-18 lines'],
  },
  'mathx.lua': {
    language: 'lua',
    rows: [
      '1-2 lines',
      '4-7 function M.add',
      '9-11 function M.method',
      '13-15 function helper',
      '17-19 function M.sub',
      '21-21 lines',
      '23-25 function globalFn',
    ],
  },
};

// With a 40-token budget, the newer languages' types split at their members: `class << self` and Kotlin's
// companion object pass through to their class, Swift's initializers and computed properties are members.
const SPLIT_40: Record<string, string[]> = {
  'shop.rb': [
    '1-2 module Shop',
    '3-5 class Shop.Item',
    '6-8 method Shop.Item.initialize',
    '9-9 method Shop.Item.build',
    '10-10 class Shop.Item',
    '11-14 method Shop.Item.all',
    '15-16 class Shop.Cart',
    '17-19 function top',
  ],
  'User.php': [
    '1-6 lines',
    '8-15 class User',
    '17-21 method User.__construct',
    '23-24 method User.find',
    '26-26 interface Repo',
    '27-27 trait HasName',
    '28-28 enum Suit',
    '30-33 function helper',
    '34-36 namespace Other',
  ],
  'Cart.kt': [
    '1-3 lines',
    '5-7 class Cart',
    '8-8 class Cart',
    '10-13 method Cart.add',
    '15-15 class Cart',
    '16-18 method Cart.empty',
    '20-22 interface Repo',
    '24-27 object Registry',
    '29-29 enum Color',
    '31-31 function second',
    '33-34 property topLevel',
    '36-36 lines',
  ],
  'Shapes.swift': [
    '1-6 interface Shape',
    '8-11 struct Circle',
    '12-12 constructor Circle.init',
    '13-15 method Circle.area',
    '16-19 property Circle.diameter',
    '21-24 class Store',
    '26-28 extension Circle',
    '30-32 enum Dir',
    '34-34 class Bank',
    '36-38 function main',
    '39-39 lines',
  ],
  'Cart.scala': [
    '1-3 lines',
    '5-7 class Cart',
    '8-8 class Cart',
    '10-14 method Cart.add',
    '16-19 object Cart',
    '21-23 trait Repo',
    '25-25 class Shape',
    '26-28 enum Color',
    '30-31 function top',
    '33-34 object intOrd',
    '36-36 lines',
  ],
};

// With a 64-token budget, types split at their members.
const SPLIT: Record<string, string[]> = {
  'inventory.py': [
    '1-6 lines',
    '9-15 class Item',
    '18-19 class Inventory',
    '21-23 method Inventory.__init__',
    '25-30 method Inventory.add',
    '32-34 method Inventory.remove',
    '35-38 method Inventory.remove',
    '40-42 method Inventory.total',
    '45-47 function find_low_stock',
    '50-54 function restock',
    '57-60 lines',
  ],
  'Library.java': [
    '1-5 lines',
    '7-12 class Library',
    '14-16 constructor Library.Library',
    '18-21 method Library.add',
    '23-26 method Library.toString',
    '28-32 method Library.findByTitle',
    '34-39 record Library.Book',
    '41-49 enum Library.Status',
    '51-53 interface Catalogue',
  ],
  'OrderService.cs': [
    '1-3 lines',
    '5-6 namespace Shop.Orders',
    '7-8 record Shop.Orders.OrderLine',
    '10-14 interface Shop.Orders.IOrderRepository',
    '16-16 enum Shop.Orders.OrderState',
    '18-22 class Shop.Orders.Order',
    '23-25 class Shop.Orders.Order',
    '27-33 method Shop.Orders.Order.Pay',
    '35-37 class Shop.Orders.OrderService',
    '39-42 constructor Shop.Orders.OrderService.OrderService',
    '44-52 method Shop.Orders.OrderService.Place',
    '54-59 struct Shop.Orders.Money',
  ],
  'matrix.cpp': [
    '1-4 lines',
    '6-6 namespace linalg',
    '8-10 class linalg.Matrix',
    '11-12 method linalg.Matrix.Matrix',
    '14-15 method linalg.Matrix.at',
    '16-17 method linalg.Matrix.at',
    '19-19 method linalg.Matrix.rows',
    '20-26 class linalg.Matrix',
    '28-31 method linalg.Matrix.transpose',
    '32-35 method linalg.Matrix.transpose',
    '37-40 struct linalg.Point',
    '42-44 function linalg.dot',
    '46-46 namespace linalg',
    '48-52 function main',
  ],
  'shapes.rs': [
    '1-6 lines',
    '8-15 trait Shape',
    '17-21 struct Rect',
    '23-23 impl Rect',
    '24-25 method Rect.new',
    '26-31 method Rect.new',
    '33-37 impl Rect',
    '39-43 impl Rect',
    '45-48 enum Kind',
    '50-54 macro square',
    '56-60 module util',
  ],
  'TodoList.tsx': [
    '1-2 lines',
    '4-7 interface TodoListProps',
    '9-9 type Filter',
    '11-13 function TodoList',
    '14-16 function TodoList',
    '17-20 function TodoList',
    '22-25 function TodoList',
    '26-29 function TodoList',
    '30-33 function TodoList',
    '35-36 function FilterBar',
    '37-38 function FilterBar',
    '39-43 function FilterBar',
    '45-46 class TodoErrorBoundary',
    '48-50 method TodoErrorBoundary.getDerivedStateFromError',
    '52-55 method TodoErrorBoundary.render',
  ],
};

describe('chunker: declarations per language', () => {
  let tok: ModelTokenizer;
  let chunker: Chunker;
  before(async () => ({ tok, chunker } = await setup()));

  const read = (name: string): string => fs.readFileSync(path.join(FIXTURES, name), 'utf8');

  for (const [name, want] of Object.entries(WHOLE)) {
    it(`${name}: one chunk per top-level declaration, doc comments and decorators included`, async () => {
      const text = read(name);
      const r = await chunker.chunkFile(`src/${name}`, text, tok, {});
      assert.equal(r.language, want.language);
      assert.deepEqual(rows(r), want.rows);
      assert.ok(r.chunks.every(c => c.path === `src/${name}`));
      assertInvariants(text, r, tok, { maxTokens: 256, maxLineChars: 1000, coverage: true });
    });
  }

  for (const [budget, table] of [
    [64, SPLIT],
    [40, SPLIT_40],
  ] as const) {
    for (const [name, want] of Object.entries(table)) {
      it(`${name}: over a ${budget}-token budget, types split into their members`, async () => {
        const text = read(name);
        const r = await chunker.chunkFile(name, text, tok, { maxTokens: budget });
        assert.deepEqual(rows(r), want);
        assertInvariants(text, r, tok, { maxTokens: budget, maxLineChars: 1000, coverage: true });
      });
    }
  }

  it("looks through PHP's unnamed namespace and leaves Lua 5.4 attributes out of names", async () => {
    const php = ['<?php', 'namespace {', '  /** Adds. */', '  function add($a, $b)', '  {', '    return $a + $b;', '  }', '}'].join('\n');
    const p = await chunker.chunkFile('g.php', php, tok, {});
    // The namespace's closing brace is too small a piece to stand alone: it joins the function.
    assert.deepEqual(rows(p), ['1-2 lines', '3-8 function add']);
    const lua = ['local double <const> = function(x)', '  return x * 2', 'end'].join('\n');
    assert.deepEqual(rows(await chunker.chunkFile('d.lua', lua, tok, {})), ['1-3 function double']);
  });

  it('reads a C++ header (.h) with the C++ grammar and a plain C header with the C grammar', async () => {
    const cpp = await chunker.chunkFile('m.h', read('matrix.cpp'), tok, {});
    assert.equal(cpp.language, 'cpp');
    assert.ok(rows(cpp).includes('8-26 class linalg.Matrix'));
    const c = await chunker.chunkFile('rb.h', read('ringbuf.c'), tok, {});
    assert.equal(c.language, 'c');
  });

  it('finds declarations inside header guards and extern "C" blocks', async () => {
    const text = [
      '#ifndef RB_H',
      '#define RB_H',
      '#ifdef __cplusplus',
      'extern "C" {',
      '#endif',
      '',
      '/* Drops every byte. */',
      'static inline void rb_reset(struct ring_buffer *rb)',
      '{',
      '    rb->head = rb->tail = 0;',
      '}',
      '',
      '#ifdef __cplusplus',
      '}',
      '#endif',
      '#endif',
    ].join('\n');
    const r = await chunker.chunkFile('rb.h', text, tok, {});
    assert.ok(rows(r).includes('7-11 function rb_reset'), rows(r).join(' | '));
    assertInvariants(text, r, tok, { maxTokens: 256, maxLineChars: 1000, coverage: true });
  });

  it('unwraps TypeScript exports, ambient namespaces and function-valued consts', async () => {
    const text = [
      'import { x } from "y";',
      '',
      '/** Adds. */',
      'export const add = (a: number, b: number): number =>',
      '  a + b;',
      '',
      'declare namespace geometry {',
      '  /** A point. */',
      '  interface Point { x: number; y: number }',
      '  function distance(a: Point, b: Point): number;',
      '}',
      '',
      'export default function (): void {',
      '  console.log(x);',
      '}',
    ].join('\n');
    // 40 tokens: the namespace no longer fits, so it splits into its members; its "}" joins the last one.
    const r = await chunker.chunkFile('a.ts', text, tok, { maxTokens: 40 });
    assert.deepEqual(rows(r), [
      '1-1 lines',
      '3-5 function add',
      '7-7 namespace geometry',
      '8-9 interface geometry.Point',
      '10-11 function geometry.distance',
      '13-15 function default',
    ]);
    assertInvariants(text, r, tok, { maxTokens: 40, maxLineChars: 1000, coverage: true });
  });
});
