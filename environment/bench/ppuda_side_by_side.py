"""Times the reference implementation (ppuda, PyTorch) on the cases of `ghn4j bench ghn` and `ghn4j bench-train`.

Our own benchmark driver: it imports ppuda from $PPUDA (default /tmp/ppuda) and copies none of its code.
Set-up used (Debian 12): apt-get install python3-torch python3-networkx python3-torchvision python3-tqdm
(PyTorch 1.13.1, torchvision 0.14.1). einops and matplotlib, when missing, are replaced by the stand-ins of
ppuda_standins.py (beside this file).

  /usr/bin/python3 ppuda_side_by_side.py ghn   --ghn FILE.pt [--runs 5] [--warmup 2] [--threads 1]
  /usr/bin/python3 ppuda_side_by_side.py train --ghn FILE.pt --meta-batch 8 [--steps 10] [--warmup 2] --nets META.json
  /usr/bin/python3 ppuda_side_by_side.py train --ghn FILE.pt --nets-jsonl NETS.jsonl [--warmup 2]
      (the very nets `ghn4j bench-train --dump-nets NETS.jsonl` trained, step by step; meta-batch and steps from it)

Prints one JSON object per case (times in ms, or s/step) on stdout.
"""
import argparse
import json
import os
import statistics
import sys
import time

import torch


def _import_ppuda():
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    import ppuda_standins
    ppuda_standins.install()
    sys.path.insert(0, os.environ.get('PPUDA', '/tmp/ppuda'))


_import_ppuda()
import torchvision  # noqa: E402
from ppuda.deepnets1m import genotypes  # noqa: E402
from ppuda.deepnets1m.graph import Graph, GraphBatch  # noqa: E402
from ppuda.deepnets1m.net import Network  # noqa: E402
from ppuda.ghn.nn import GHN  # noqa: E402
from ppuda.utils import Trainer, adjust_net, rand_choice  # noqa: E402


def load_ghn(path):
    ckpt = torch.load(path, map_location='cpu')
    ghn = GHN(**ckpt['config'], debug_level=0)
    ghn.load_state_dict(ckpt['state_dict'])
    return ghn


def vm_hwm_kb():
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('VmHWM:'):
                return int(line.split()[1])
    return -1


def ghn_cases():
    # the two predefined nets of ppuda's DeepNets1M loader, CIFAR-10 variants (10 classes, 32x32 input)
    yield 'ResNet-50', lambda: adjust_net(torchvision.models.resnet50(num_classes=10), large_input=False)
    yield 'ViT', lambda: Network(num_classes=10, is_imagenet_input=False, C=128, genotype=genotypes.ViT,
                                 n_cells=12, glob_avg=True, preproc=False, C_mult=1)


def bench_ghn(a):
    ghn = load_ghn(a.ghn).eval()
    for name, make in ghn_cases():
        net = make()
        ms = {'graph': [], 'forward_nograd': [], 'forward_autograd': []}
        for i in range(-a.warmup, a.runs):
            # graph construction traces the net's forward, so it needs autograd on
            t0 = time.perf_counter()
            graphs = GraphBatch([Graph(net, ve_cutoff=50 if ghn.ve else 1)]).to_device('cpu')
            t1 = time.perf_counter()
            with torch.no_grad():
                ghn(net, graphs)
            t2 = time.perf_counter()
            ghn(net, graphs)
            t3 = time.perf_counter()
            if i >= 0:
                ms['graph'].append((t1 - t0) * 1e3)
                ms['forward_nograd'].append((t2 - t1) * 1e3)
                ms['forward_autograd'].append((t3 - t2) * 1e3)
        med = {k: statistics.median(v) for k, v in ms.items()}
        print(json.dumps({'impl': 'ppuda', 'case': name, 'threads': torch.get_num_threads(), 'runs': a.runs,
                          'graph_ms': med['graph'], 'forward_nograd_ms': med['forward_nograd'],
                          'forward_autograd_ms': med['forward_autograd'],
                          'total_nograd_ms': med['graph'] + med['forward_nograd'],
                          'total_autograd_ms': med['graph'] + med['forward_autograd'],
                          'nodes': int(graphs.node_feat.shape[0])}), flush=True)
    print(json.dumps({'impl': 'ppuda', 'peak_rss_kb': vm_hwm_kb()}), flush=True)


def train_net_args(meta_file, seed):
    """DeepNets-1M net_args with ppuda's train-time width rule (loader.py) applied with a seeded generator."""
    nets = json.load(open(meta_file))
    nets = next(iter(nets.values()))['nets']
    torch.manual_seed(seed)
    num_ch, fc_dim = torch.arange(32, 129, 16), torch.arange(64, 513, 64)
    out = []
    for args in nets:
        cell = genotypes.from_dict(args['genotype'])
        dense = sum(n[0] in ['conv_5x5', 'conv_7x7'] for n in cell.normal + cell.reduce) > 0
        p = args['num_params']['cifar10'] / 1e6
        fc = rand_choice(fc_dim, 4)
        if p > 0.8 or not args['glob_avg'] or dense or args['n_cells'] > 12:
            c = num_ch.min()
        elif p > 0.4 or args['n_cells'] > 10:
            c = rand_choice(num_ch, 2)
        elif p > 0.2 or args['n_cells'] > 8:
            c = rand_choice(num_ch, 3)
        else:
            c = rand_choice(num_ch)
            if c <= 64:
                fc = rand_choice(fc_dim)
        kw = {k: args[k] for k in ['norm', 'ks', 'preproc', 'glob_avg', 'stem_pool', 'C_mult', 'n_cells',
                                   'fc_layers', 'stem_type']}
        kw.update(genotype=cell, C=int(c), fc_dim=int(fc))
        out.append(kw)
    return out


def dumped_net_args(path):
    """Per step, the net_args lists of `ghn4j bench-train --dump-nets` (ppuda's Network keywords)."""
    steps = []
    with open(path) as f:
        for line in f:
            if line.strip():
                rec = json.loads(line)
                nets = []
                for kw in rec['net_args']:
                    kw = dict(kw)
                    kw['genotype'] = genotypes.from_dict(kw['genotype'])
                    kw.pop('num_classes', None)
                    kw.pop('is_imagenet_input', None)
                    nets.append(kw)
                steps.append(nets)
    return steps


def bench_train(a):
    torch.manual_seed(a.seed)
    per_step = None
    if a.nets_jsonl:
        per_step = dumped_net_args(a.nets_jsonl)
        a.meta_batch = len(per_step[0])
        a.steps = len(per_step) - a.warmup
    ghn = load_ghn(a.ghn).train()
    # train_ghn.py recipe: Adam lr 1e-3, wd 1e-5, grad clip 5, plain cross-entropy on CIFAR-10
    opt = torch.optim.Adam(ghn.parameters(), 1e-3, weight_decay=1e-5)
    trainer = Trainer(opt, 10, False, n_batches=a.steps + a.warmup, grad_clip=5, device='cpu', log_interval=10 ** 9)
    net_args = train_net_args(a.nets, a.seed) if per_step is None else None
    # random images stand in for CIFAR-10 batches (the time does not depend on pixel values)
    images, targets = torch.randn(a.batch_size, 3, 32, 32), torch.randint(0, 10, (a.batch_size,))
    build, update = [], []
    k = 0
    for i in range(-a.warmup, a.steps):
        t0 = time.perf_counter()
        nets, graph_list = [], []
        for j in range(a.meta_batch):
            if per_step is not None:
                kw = per_step[i + a.warmup][j]
            else:
                kw = net_args[k % len(net_args)]
                k += 1
            # ppuda trains on parameter-free ("light") nets and reads their graphs from the HDF5 file, which was
            # made from regular nets; here the graph is traced from a regular net with the same arguments
            nets.append(Network(is_imagenet_input=False, num_classes=10, light=True, **kw))
            graph_list.append(Graph(Network(is_imagenet_input=False, num_classes=10, **kw), ve_cutoff=50))
        graphs = GraphBatch(graph_list)
        t1 = time.perf_counter()
        trainer.update(nets, images, targets, ghn=ghn, graphs=graphs)
        t2 = time.perf_counter()
        if i >= 0:
            build.append(t1 - t0)
            update.append(t2 - t1)
        print(json.dumps({'step': i + 1, 'build_s': t1 - t0, 'update_s': t2 - t1}), file=sys.stderr, flush=True)
    print(json.dumps({'impl': 'ppuda', 'meta_batch': a.meta_batch, 'threads': torch.get_num_threads(),
                      'steps': a.steps, 'update_s_median': statistics.median(update),
                      'build_s_median': statistics.median(build),
                      'step_s_median': statistics.median([b + u for b, u in zip(build, update)]),
                      'peak_rss_kb': vm_hwm_kb()}), flush=True)


def main():
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('mode', choices=['ghn', 'train'])
    p.add_argument('--ghn', required=True, help='ppuda checkpoint {config, state_dict}')
    p.add_argument('--threads', type=int, default=1, help='torch.set_num_threads')
    p.add_argument('--runs', type=int, default=5)
    p.add_argument('--warmup', type=int, default=2)
    p.add_argument('--steps', type=int, default=10)
    p.add_argument('--meta-batch', type=int, default=8)
    p.add_argument('--batch-size', type=int, default=64)
    p.add_argument('--nets', help='DeepNets-1M *_meta.json whose net_args are used for training steps')
    p.add_argument('--nets-jsonl', help='per-step net_args written by `ghn4j bench-train --dump-nets`')
    p.add_argument('--seed', type=int, default=1111)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    bench_ghn(a) if a.mode == 'ghn' else bench_train(a)


if __name__ == '__main__':
    main()
