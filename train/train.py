#!/usr/bin/python3
"""Trains semsearch's static code-search model (a neural bag of words) and exports it for the product.

One table of WordPiece-token vectors is shared by queries and code; a text's vector is the L2-normalised sum of
its token occurrences' vectors, each scaled by a learned per-token weight (folded into the exported rows). It is
trained with symmetric InfoNCE (query->code and code->query, in-batch negatives), evaluated on held-out
packages against BM25 and a score fusion of both, and exported as int8 rows with one float32 scale per row.

    /usr/bin/python3 train/train.py --pairs .bench/train/pairs.jsonl --out models/semsearch-code-v1

The pairs file holds one JSON object a line with "pkg", "lang", "q" and "c" (token ids of the product
tokenizer, server/src/engine/model/codeWordPiece.ts). Same seed and data -> same figures.
"""

import argparse
import hashlib
import json
import math
import os
import platform
import random
import shutil
import time
from collections import defaultdict

import numpy as np
import torch
import torch.nn.functional as F

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# The vocabulary the pairs were tokenized with (--vocab); its size and [UNK] id are read from it in main().
VOCAB = os.path.join(ROOT, '..', 'shared', 'models', 'minilm-standin', 'vocab.txt')
VOCAB_SIZE = 30522
UNK = 100
BATCH = 512
TEST_SHARE, VALID_SHARE = 0.08, 0.04
MODEL_ID = 'semsearch-code-v1'  # the id the product knows the export by, whatever folder it is written to
VALID_POOL, TEST_POOL = 4000, 8000  # pairs sampled into each evaluation pool (see dedupe_pool)
PATIENCE = 2  # epochs without a better valid MRR before stopping
MAX_CODE_TOKENS = 1024  # training only (speed): a function's first 1024 tokens carry its meaning; eval uses all
BM25_K1, BM25_B = 1.2, 0.75
FUSION_LEXICAL = 0.6
FUSION_SWEEP = [0.3, 0.4, 0.5, 0.6, 0.7, 0.8]


def parse_args():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument('--pairs', required=True)
    p.add_argument('--out', required=True, help='model folder to export into')
    p.add_argument('--dims', type=int, default=256, help='256 measured level with 512 on test (README, "The model") at half the cost')
    p.add_argument('--epochs', type=int, default=8, help='most epochs; the best on valid is kept (8: what the shipped model was trained with)')
    p.add_argument('--seed', type=int, default=1)
    # The knobs the ablation in train/results.json varied; the defaults are what measured best on valid.
    p.add_argument('--temperature', type=float, default=0.05)
    p.add_argument('--drop', type=float, default=0.2, help='share of code tokens dropped per step')
    p.add_argument('--lr', type=float, default=3e-3)
    p.add_argument('--token-weight', choices=['softplus', 'none'], default='softplus',
                   help='softplus: a learned scalar per token; none: the vector norm alone weighs the token')
    p.add_argument('--results', default=os.path.join(ROOT, 'train', 'results.json'))
    p.add_argument('--vocab', default=VOCAB, help='the vocabulary the pairs were tokenized with (train/codeVocab.ts writes one)')
    return p.parse_args()


# ---------------------------------------------------------------------------------------------- vocabulary

def load_vocab(path):
    """Sets VOCAB, VOCAB_SIZE and UNK from the vocabulary file (one token a line, the line number is the id)."""
    global VOCAB, VOCAB_SIZE, UNK
    with open(path, encoding='utf8') as f:
        tokens = [line.rstrip('\n').rstrip('\r') for line in f if line.strip()]
    VOCAB, VOCAB_SIZE, UNK = path, len(tokens), tokens.index('[UNK]')
    return tokens


def token_classes(tokens):
    """Rows the product never uses ([PAD], [CLS], [SEP], [MASK], [unusedN]) and punctuation (lexical only)."""
    never = np.zeros(VOCAB_SIZE, bool)
    punct = np.zeros(VOCAB_SIZE, bool)
    for i, t in enumerate(tokens):
        if t in ('[PAD]', '[CLS]', '[SEP]', '[MASK]') or t.startswith('[unused'):
            never[i] = True
        elif len(t) == 1 and not t.isalnum():
            punct[i] = True
    return never, punct


# ---------------------------------------------------------------------------------------------- data

def load_pairs(path):
    """The pairs and the sha256 of the very bytes read (the file may be rebuilt while we train)."""
    with open(path, 'rb') as f:
        data = f.read()
    pairs = []
    for line in data.split(b'\n'):  # not str.splitlines: JSON.stringify leaves U+2028 unescaped
        if not line.strip():
            continue
        o = json.loads(line)
        if o['q'] and o['c']:
            pairs.append((o['pkg'], o['lang'], np.asarray(o['q'], np.int64), np.asarray(o['c'], np.int64)))
    return pairs, hashlib.sha256(data).hexdigest()


def split_packages(pairs):
    """Test / valid / train by package, never one package across sets. Within each language (a package counts
    for the language most of its pairs have) packages are ordered by a hash of their name and the first ~8%
    go to test, the next ~4% to valid, so every language has test packages and the split never moves when
    other packages come and go."""
    langs = defaultdict(lambda: defaultdict(int))
    for pkg, lang, _, _ in pairs:
        langs[pkg][lang] += 1
    by_lang = defaultdict(list)
    for pkg, counts in langs.items():
        by_lang[max(sorted(counts), key=counts.get)].append(pkg)
    role = {}
    for lang, pkgs in by_lang.items():
        pkgs.sort(key=lambda p: hashlib.sha256(p.encode()).hexdigest())
        n_test = max(1, round(len(pkgs) * TEST_SHARE)) if len(pkgs) >= 3 else 0
        n_valid = max(1, round(len(pkgs) * VALID_SHARE)) if len(pkgs) >= 3 else 0
        for i, p in enumerate(pkgs):
            role[p] = 'test' if i < n_test else 'valid' if i < n_test + n_valid else 'train'
    sets = {'train': [], 'valid': [], 'test': []}
    for pair in pairs:
        sets[role[pair[0]]].append(pair)
    return sets, role


def dedupe_pool(pairs, cap, seed):
    """An evaluation pool with each code once (two equal codes would make a right answer count as wrong), cut
    to `cap` pairs by a seeded sample: the full score matrix of a 50k pool would not fit in memory, and a pool
    of a few thousand is the size the prototype's figures were measured on."""
    seen, out = set(), []
    for p in pairs:
        key = p[3].tobytes()
        if key not in seen:
            seen.add(key)
            out.append(p)
    if len(out) > cap:
        keep = sorted(random.Random(seed).sample(range(len(out)), cap))
        out = [out[i] for i in keep]
    return out


def bag(seqs):
    """Token lists -> the (ids, offsets) pair EmbeddingBag takes."""
    lengths = [len(s) for s in seqs]
    offsets = np.zeros(len(seqs), np.int64)
    offsets[1:] = np.cumsum(lengths)[:-1]
    return torch.from_numpy(np.concatenate(seqs)), torch.from_numpy(offsets)


# ---------------------------------------------------------------------------------------------- model

class BagOfTokens(torch.nn.Module):
    """The table and the per-token weights. Only the rows a batch touches are gathered, trained and updated
    (lazy Adam over those rows), which keeps a step at a few milliseconds of gradient instead of 15M values."""

    def __init__(self, dims, token_weight):
        super().__init__()
        # Rows start at unit expected norm, so the learning rate means the same at every dimension count.
        self.table = torch.nn.Parameter(torch.randn(VOCAB_SIZE, dims) / math.sqrt(dims))
        # softplus(a) with a = log(e - 1) is 1: every token starts as a plain count.
        self.logit = torch.nn.Parameter(torch.full((VOCAB_SIZE,), math.log(math.e - 1))) if token_weight == 'softplus' else None

    def encode(self, rows, logits, local_ids, offsets, keep=None):
        weights = F.softplus(logits)[local_ids] if logits is not None else torch.ones(len(local_ids))
        if keep is not None:
            weights = weights * keep
        return F.normalize(F.embedding_bag(local_ids, rows, offsets, mode='sum', per_sample_weights=weights), dim=1)

    def final_table(self, allowed):
        """Each token's vector with its weight folded in; rows the product must ignore are zero."""
        with torch.no_grad():
            v = self.table.detach().clone()
            if self.logit is not None:
                v *= F.softplus(self.logit.detach())[:, None]
            v[~torch.from_numpy(allowed)] = 0
        return v


class LazyAdam:
    """Adam applied to the touched rows only (torch's SparseAdam semantics: untouched rows keep their moments)."""

    def __init__(self, param, lr, betas=(0.9, 0.999), eps=1e-8):
        self.p, self.lr, self.b1, self.b2, self.eps = param, lr, betas[0], betas[1], eps
        self.m = torch.zeros_like(param)
        self.v = torch.zeros_like(param)
        self.t = 0

    def step(self, idx, grad):
        self.t += 1
        with torch.no_grad():
            m = self.m[idx].mul_(self.b1).add_(grad, alpha=1 - self.b1)
            v = self.v[idx].mul_(self.b2).addcmul_(grad, grad, value=1 - self.b2)
            self.m[idx], self.v[idx] = m, v
            mhat = m / (1 - self.b1 ** self.t)
            vhat = v / (1 - self.b2 ** self.t)
            self.p[idx] -= self.lr * mhat / (vhat.sqrt() + self.eps)


def train_epoch(model, opts, train, args, gen):
    order = torch.randperm(len(train), generator=gen).tolist()
    total, steps = 0.0, 0
    for start in range(0, len(order) - BATCH + 1, BATCH):  # a short last batch has too few negatives
        batch = [train[i] for i in order[start:start + BATCH]]
        q_ids, q_off = bag([p[2] for p in batch])
        codes = []
        for p in batch:
            c = p[3]
            if len(c) > MAX_CODE_TOKENS:
                s = int(torch.randint(0, len(c) - MAX_CODE_TOKENS + 1, (1,), generator=gen))
                c = c[s:s + MAX_CODE_TOKENS]
            codes.append(c)
        c_ids, c_off = bag(codes)
        # The rows this batch touches, renumbered 0..U-1, gathered into a small leaf tensor to differentiate.
        uniq, inv = torch.unique(torch.cat([q_ids, c_ids]), return_inverse=True)
        q_loc, c_loc = inv[:len(q_ids)], inv[len(q_ids):]
        rows = model.table.detach()[uniq].requires_grad_()
        logits = model.logit.detach()[uniq].requires_grad_() if model.logit is not None else None
        keep = (torch.rand(len(c_loc), generator=gen) >= args.drop).float()  # augmentation: drop code tokens
        q = model.encode(rows, logits, q_loc, q_off)
        c = model.encode(rows, logits, c_loc, c_off, keep)
        sim = q @ c.T / args.temperature
        target = torch.arange(len(batch))
        loss = (F.cross_entropy(sim, target) + F.cross_entropy(sim.T, target)) / 2
        loss.backward()
        opts[0].step(uniq, rows.grad)
        if logits is not None:
            opts[1].step(uniq, logits.grad)
        total += loss.item()
        steps += 1
    return total / max(steps, 1)


# ---------------------------------------------------------------------------------------------- evaluation

def embed(table, seqs, chunk=4096):
    out = []
    for i in range(0, len(seqs), chunk):
        ids, off = bag(seqs[i:i + chunk])
        out.append(F.normalize(F.embedding_bag(ids, table, off, mode='sum'), dim=1))
    return torch.cat(out)


def model_scores(table, pool):
    """Query x code cosine over the whole pool."""
    with torch.no_grad():
        return embed(table, [p[2] for p in pool]) @ embed(table, [p[3] for p in pool]).T


def bm25_scores(pool, lexical):
    """BM25 (k1 1.2, b 0.75) over the same WordPiece token ids the model sees, punctuation and special rows
    left out; a query counts each distinct token once. Returns query x code scores."""
    docs = [p[3][lexical[p[3]]] for p in pool]
    n = len(docs)
    dl = np.array([len(d) for d in docs], np.float64)
    avgdl = dl.mean()
    rows, cols, tfs = [], [], []
    for j, d in enumerate(docs):
        t, c = np.unique(d, return_counts=True)
        rows.append(np.full(len(t), j))
        cols.append(t)
        tfs.append(c)
    rows, cols, tfs = np.concatenate(rows), np.concatenate(cols), np.concatenate(tfs).astype(np.float64)
    df = np.bincount(cols, minlength=VOCAB_SIZE)
    idf = np.log(1 + (n - df + 0.5) / (df + 0.5))
    w = idf[cols] * tfs * (BM25_K1 + 1) / (tfs + BM25_K1 * (1 - BM25_B + BM25_B * dl[rows] / avgdl))
    doc_term = torch.sparse_coo_tensor(np.stack([rows, cols]), w.astype(np.float32), (n, VOCAB_SIZE)).coalesce()
    out = []
    for start in range(0, len(pool), 2048):  # dense query rows are vocabulary-wide: a chunk at a time
        query = torch.zeros(min(2048, len(pool) - start), VOCAB_SIZE)
        for i, p in enumerate(pool[start:start + 2048]):
            query[i, np.unique(p[2][lexical[p[2]]])] = 1
        out.append(torch.sparse.mm(doc_term, query.T).T)
    return torch.cat(out)


def minmax(s):
    lo, hi = s.min(1, keepdim=True).values, s.max(1, keepdim=True).values
    return (s - lo) / (hi - lo).clamp_min(1e-12)


def reciprocal_ranks(scores, k=10):
    """1/rank of the right code (query i's code is pool item i), 0 past rank k. Ties rank against the right
    code, so a query BM25 cannot score at all (every code 0) gets nothing."""
    gold = scores.diagonal()[:, None]
    rank = (scores >= gold).sum(1).float()
    return torch.where(rank <= k, 1 / rank, torch.zeros_like(rank))


def low_overlap_half(pool, lexical):
    """The half of the queries sharing the fewest distinct (non-punctuation) tokens with their code."""
    shared = [len(np.intersect1d(p[2][lexical[p[2]]], p[3][lexical[p[3]]])) for p in pool]
    order = sorted(range(len(pool)), key=lambda i: (shared[i], i))
    mask = torch.zeros(len(pool), dtype=torch.bool)
    mask[order[:len(pool) // 2]] = True
    return mask


def evaluate(table, pool, lexical, bm25=None):
    """MRR@10 for the model, BM25 and their fusion; overall, per language and on the low-overlap half."""
    model = model_scores(table, pool)
    bm25 = bm25_scores(pool, lexical) if bm25 is None else bm25
    lex_n, mod_n = minmax(bm25), minmax(model)
    rr = {'model': reciprocal_ranks(model), 'bm25': reciprocal_ranks(bm25)}
    for w in FUSION_SWEEP:
        rr[f'fusion{w}'] = reciprocal_ranks(w * lex_n + (1 - w) * mod_n)
    rr['fusion'] = rr[f'fusion{FUSION_LEXICAL}']
    low = low_overlap_half(pool, lexical)
    langs = np.array([p[1] for p in pool])
    r3 = lambda x: round(float(x), 4)
    out = {'pool': len(pool), 'mrr10': {k: r3(v.mean()) for k, v in rr.items()},
           'lowOverlapHalf': {k: r3(rr[k][low].mean()) for k in ('model', 'bm25', 'fusion')},
           'perLanguage': {}}
    for lang in sorted(set(langs)):
        m = torch.from_numpy(langs == lang)
        out['perLanguage'][lang] = {'queries': int(m.sum()), **{k: r3(rr[k][m].mean()) for k in ('model', 'bm25', 'fusion')}}
    return out, bm25


def valid_mrr(table, pool):
    return float(reciprocal_ranks(model_scores(table, pool)).mean())


# ---------------------------------------------------------------------------------------------- export

def quantize(v):
    """Per-row symmetric int8: row t = round(v_t / s_t), s_t = max|v_t| / 127 (0 for an all-zero row)."""
    v = v.numpy().astype(np.float32)
    scales = (np.abs(v).max(1) / 127).astype(np.float32)
    safe = np.where(scales > 0, scales, 1).astype(np.float32)
    q = np.clip(np.rint(v / safe[:, None]), -127, 127).astype(np.int8)
    return q, scales


def dequantize(q, scales):
    """What the product computes from the files: s_t * int8row_t."""
    return torch.from_numpy(q.astype(np.float32) * scales[:, None])


def sha256(path):
    with open(path, 'rb') as f:
        return hashlib.sha256(f.read()).hexdigest()


def export(out, q, scales, dims, training, evaluation):
    os.makedirs(out, exist_ok=True)
    q.tofile(os.path.join(out, 'vectors.i8'))
    scales.astype('<f4').tofile(os.path.join(out, 'scales.f32'))
    shutil.copyfile(VOCAB, os.path.join(out, 'vocab.txt'))
    files = {'vectors': 'vectors.i8', 'scales': 'scales.f32', 'vocab': 'vocab.txt'}
    meta = {'format': 'semsearch-static', 'version': 1, 'id': MODEL_ID, 'dims': dims,
            'vocabSize': VOCAB_SIZE, 'tokenizer': 'code-wordpiece', 'files': files,
            'sha256': {f: sha256(os.path.join(out, f)) for f in files.values()},
            'training': training, 'evaluation': evaluation}
    with open(os.path.join(out, 'model.json'), 'w') as f:
        json.dump(meta, f, indent=2)
        f.write('\n')
    with open(os.path.join(out, 'LICENSE'), 'w') as f:
        f.write(LICENSE_TEXT)
    with open(os.path.join(out, 'NOTICE'), 'w') as f:
        f.write(NOTICE_TEXT)


LICENSE_TEXT = open(os.path.join(ROOT, 'LICENSE'), encoding='utf8').read() if os.path.exists(os.path.join(ROOT, 'LICENSE')) else ''
NOTICE_TEXT = """semsearch-code-v1: a static code-search embedding model.

The model weights (vectors.i8, scales.f32) were trained by the semsearch contributors with train/train.py and
are released under the MIT License in LICENSE, like the rest of the project.

vocab.txt was made by train/codeVocab.ts: its first part (the special tokens, single characters and "##"
word pieces) is taken from the BERT uncased WordPiece vocabulary, as shipped with Google's BERT and with
sentence-transformers/all-MiniLM-L6-v2, under the Apache License 2.0
(https://www.apache.org/licenses/LICENSE-2.0); the rest are the commonest word parts of the training code.
"""


def machine():
    model = next((l.split(':', 1)[1].strip() for l in open('/proc/cpuinfo') if l.startswith('model name')), platform.processor())
    return {'nproc': os.cpu_count(), 'cpu': model, 'torch': torch.__version__, 'python': platform.python_version()}


# ---------------------------------------------------------------------------------------------- main

def main():
    args = parse_args()
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)
    torch.set_num_threads(2)
    t0 = time.time()

    never, punct = token_classes(load_vocab(args.vocab))
    lexical = ~never & ~punct
    pairs, pairs_sha = load_pairs(args.pairs)
    sets, role = split_packages(pairs)
    train, valid, test = sets['train'], dedupe_pool(sets['valid'], VALID_POOL, args.seed), dedupe_pool(sets['test'], TEST_POOL, args.seed)
    # Tokens seen in training; every other row keeps only its random init and is zeroed on export.
    seen = np.zeros(VOCAB_SIZE, bool)
    for p in train:
        seen[p[2]] = True
        seen[p[3]] = True
    allowed = seen & ~never
    print(f'{len(pairs)} pairs, {len(role)} packages; train {len(train)}, valid pool {len(valid)}, test pool {len(test)}; '
          f'{int(allowed.sum())} tokens trained', flush=True)

    model = BagOfTokens(args.dims, args.token_weight)
    opts = [LazyAdam(model.table.data, args.lr)]
    if model.logit is not None:
        opts.append(LazyAdam(model.logit.data, args.lr))
    gen = torch.Generator().manual_seed(args.seed)

    best, best_epoch, history = -1.0, 0, []
    t_train = time.time()
    for epoch in range(1, args.epochs + 1):
        loss = train_epoch(model, opts, train, args, gen)
        mrr = valid_mrr(model.final_table(allowed), valid)
        history.append({'epoch': epoch, 'loss': round(loss, 4), 'validMrr10': round(mrr, 4), 'seconds': round(time.time() - t_train, 1)})
        print(f'epoch {epoch}: loss {loss:.4f}  valid MRR@10 {mrr:.4f}  ({time.time() - t_train:.0f}s)', flush=True)
        if mrr > best:
            best, best_epoch, best_table = mrr, epoch, model.final_table(allowed)
        elif epoch - best_epoch >= PATIENCE:
            break
    train_seconds = time.time() - t_train

    q8, scales = quantize(best_table)
    # What the model made of [UNK] and punctuation (left for it to learn rather than zeroed by hand).
    norms = best_table.norm(dim=1).numpy()
    words = allowed & ~punct
    words[UNK] = False
    learned = {'unkNorm': round(float(norms[UNK]), 3), 'punctuationMedianNorm': round(float(np.median(norms[allowed & punct])), 3),
               'wordMedianNorm': round(float(np.median(norms[words])), 3)}
    float_eval, bm25 = evaluate(best_table, test, lexical)
    int8_eval, _ = evaluate(dequantize(q8, scales), test, lexical, bm25)
    valid_int8 = valid_mrr(dequantize(q8, scales), valid)
    # The fusion weight a user of valid alone would pick, and what it gives on test.
    valid_eval, _ = evaluate(best_table, valid, lexical)
    pick = max(FUSION_SWEEP, key=lambda w: valid_eval['mrr10'][f'fusion{w}'])
    evaluation = {
        'split': 'by package, sha256 of the name, ~8% test / ~4% valid per language; pools deduplicated by code',
        'metric': 'MRR@10 of each query against every code of its pool; per language = that language\'s queries of the same ranking',
        'bm25': 'k1 1.2, b 0.75 over the WordPiece token ids (punctuation and special tokens left out)',
        'fusion': f'min-max normalised per query, {FUSION_LEXICAL} BM25 + {1 - FUSION_LEXICAL:.1f} model; fusionW = W BM25',
        'lowOverlap': 'the half of the test queries sharing the fewest distinct non-punctuation tokens with their code',
        'test': float_eval,
        'testInt8': int8_eval,
        'int8MinusFloat': round(int8_eval['mrr10']['model'] - float_eval['mrr10']['model'], 4),
        'valid': {'pool': len(valid), 'model': round(best, 4), 'modelInt8': round(valid_int8, 4), 'bm25': valid_eval['mrr10']['bm25'],
                  'bestFusionWeight': pick, 'testAtThatWeight': float_eval['mrr10'][f'fusion{pick}']},
    }
    settings = {'dims': args.dims, 'temperature': args.temperature, 'drop': args.drop, 'lr': args.lr,
                'tokenWeight': args.token_weight, 'batch': BATCH, 'seed': args.seed, 'maxEpochs': args.epochs}
    training = {'pairs': len(pairs), 'packages': len(role),
                'trainPairs': len(train), 'trainPackages': sum(r == 'train' for r in role.values()),
                'validPackages': sum(r == 'valid' for r in role.values()), 'testPackages': sum(r == 'test' for r in role.values()),
                'tokensTrained': int(allowed.sum()), 'learnedRowNorms': learned, 'epochs': len(history), 'bestEpoch': best_epoch,
                'trainSeconds': round(train_seconds, 1), 'totalSeconds': round(time.time() - t0, 1),
                'settings': settings, 'history': history, 'machine': machine(),
                'objective': 'symmetric InfoNCE, in-batch negatives; lazy Adam on the touched rows',
                'pairsFile': os.path.basename(args.pairs), 'pairsSha256': pairs_sha}
    export(args.out, q8, scales, args.dims, training, evaluation)
    save_results(args.results, settings, training, evaluation, args.out)
    print_table(evaluation, training)


def save_results(path, settings, training, evaluation, out):
    """train/results.json: this run under its settings, next to the other runs of the ablation."""
    results = json.load(open(path)) if os.path.exists(path) else {'runs': []}
    key = json.dumps(settings, sort_keys=True)
    results['runs'] = [r for r in results['runs'] if json.dumps(r['settings'], sort_keys=True) != key]
    results['runs'].append({'settings': settings, 'out': os.path.relpath(os.path.abspath(out), ROOT), 'pairsFile': training['pairsFile'],
                            'validMrr10': evaluation['valid']['model'], 'bestEpoch': training['bestEpoch'],
                            'trainSeconds': training['trainSeconds'], 'test': evaluation['test'],
                            'int8MinusFloat': evaluation['int8MinusFloat']})
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        json.dump(results, f, indent=2)
        f.write('\n')


def print_table(ev, training):
    t, low = ev['test'], ev['test']['lowOverlapHalf']
    print(f"\ntest pool {t['pool']}, best epoch {training['bestEpoch']}, {training['trainSeconds']:.0f}s training")
    print(f"{'MRR@10':<22}{'model':>8}{'bm25':>8}{'fusion':>8}")
    print(f"{'all':<22}{t['mrr10']['model']:>8.4f}{t['mrr10']['bm25']:>8.4f}{t['mrr10']['fusion']:>8.4f}")
    print(f"{'low-overlap half':<22}{low['model']:>8.4f}{low['bm25']:>8.4f}{low['fusion']:>8.4f}")
    for lang, r in t['perLanguage'].items():
        print(f"{lang + ' (' + str(r['queries']) + ')':<22}{r['model']:>8.4f}{r['bm25']:>8.4f}{r['fusion']:>8.4f}")
    print('fusion sweep (BM25 weight): ' + '  '.join(f"{w}: {t['mrr10'][f'fusion{w}']:.4f}" for w in FUSION_SWEEP))
    print(f"int8 - float (model MRR@10): {ev['int8MinusFloat']:+.4f}; valid model {ev['valid']['model']:.4f}, "
          f"fusion weight picked on valid {ev['valid']['bestFusionWeight']} -> test {ev['valid']['testAtThatWeight']:.4f}")


if __name__ == '__main__':
    main()
