"""Dumps ppuda's autograd trace of DeepNets-1M nets (the oracle for ghn4j.deepnets.AutogradTrace).

Runs ppuda's own Graph(net) (ppuda/deepnets1m/graph.py) under PyTorch 1.13 and records its node list after the
topological sort and before filtering, plus the node count after filtering (the meta files' num_nodes).
Set-up used (Debian 12): apt-get install python3-torch python3-networkx  (PyTorch 1.13.1, networkx 2.8.8); a ppuda
checkout at $PPUDA (default /tmp/ppuda). einops, torchvision and matplotlib are replaced by the minimal stand-ins
below (ppuda only needs einops.rearrange, and only names from the other two).

  /usr/bin/python3 ppuda_trace.py ../shared/fixtures/reference/deepnets/bnfree_meta.json out.json [0,26]
"""
import json
import os
import re
import sys
import tempfile
import types

import torch
import torch.nn as nn


def _rearrange(x, pattern, **lengths):
    # einops >= 0.4 on torch: reshape only if an input axis is composite, permute only if not the identity,
    # reshape again only if an output axis is composite.
    def groups(side):
        return [m.group(1).split() if m.group(1) is not None else [m.group(2)]
                for m in re.finditer(r'\(([^)]*)\)|(\w+)', side)]
    lhs, rhs = [s.strip() for s in pattern.split('->')]
    gin, gout = groups(lhs), groups(rhs)
    axes = [a for g in gin for a in g]
    known = dict(lengths)
    for g, size in zip(gin, x.shape):
        prod = 1
        for a in g:
            prod *= known.get(a, 1)
        for a in g:
            if a not in known:
                known[a] = size // prod
    perm = [axes.index(a) for g in gout for a in g]
    if any(len(g) != 1 for g in gin):
        x = x.reshape([known[a] for a in axes])
    if perm != list(range(len(perm))):
        x = x.permute(perm)
    if any(len(g) != 1 for g in gout):
        sizes = []
        for g in gout:
            p = 1
            for a in g:
                p *= known[a]
            sizes.append(p)
        x = x.reshape(sizes)
    return x


def _install_stand_ins():
    sys.modules['einops'] = types.SimpleNamespace(rearrange=_rearrange)
    mpl = types.ModuleType('matplotlib')
    mpl.cm = None
    sys.modules['matplotlib'] = mpl
    sys.modules['matplotlib.pyplot'] = types.ModuleType('matplotlib.pyplot')
    sys.modules['matplotlib.cm'] = types.ModuleType('matplotlib.cm')
    tv = types.ModuleType('torchvision')
    tv.__version__ = 'stand-in'
    tv.models = types.SimpleNamespace(
        vision_transformer=types.SimpleNamespace(VisionTransformer=type('VisionTransformer', (nn.Module,), {})),
        convnext=types.SimpleNamespace(LayerNorm2d=type('LayerNorm2d', (nn.LayerNorm,), {})))
    sys.modules['torchvision'] = tv
    # ppuda.utils pulls in training code; net.py only needs drop_path (never used with probability 0)
    root = tempfile.mkdtemp()
    os.makedirs(os.path.join(root, 'ppuda'))
    open(os.path.join(root, 'ppuda', '__init__.py'), 'w').close()
    with open(os.path.join(root, 'ppuda', 'utils.py'), 'w') as f:
        f.write('def drop_path(x, drop_prob):\n    assert drop_prob == 0\n    return x\n')
    os.symlink(os.path.join(os.environ.get('PPUDA', '/tmp/ppuda'), 'ppuda', 'deepnets1m'),
               os.path.join(root, 'ppuda', 'deepnets1m'))
    sys.path.insert(0, root)


_install_stand_ins()
from ppuda.deepnets1m import graph as G  # noqa: E402
from ppuda.deepnets1m.genotypes import from_dict  # noqa: E402
from ppuda.deepnets1m.net import Network  # noqa: E402


class TracedGraph(G.Graph):
    def _filter_graph(self):
        self.trace = [n['param_name'] for n in self._nodes]
        super()._filter_graph()


def trace(args):
    args = {k: v for k, v in args.items() if k not in ('num_nodes', 'num_params')}
    args['genotype'] = from_dict(args['genotype'])
    torch.manual_seed(0)
    net = Network(C=32, num_classes=10, is_imagenet_input=False, **args)  # as ppuda's generator builds its graphs
    g = TracedGraph(net, ve_cutoff=1, list_all_nodes=True)
    return g.n_nodes, g.trace


if __name__ == '__main__':
    torch.set_num_threads(1)
    meta = json.load(open(sys.argv[1]))
    split = list(meta)[0]
    nets = meta[split]['nets']
    sel = [int(s) for s in sys.argv[3].split(',')] if len(sys.argv) > 3 else range(len(nets))
    out = []
    for i in sel:
        n, names = trace(nets[i])
        out.append({'index': i, 'expected': nets[i]['num_nodes'], 'num_nodes': n, 'trace': names})
        print(split, i, n, nets[i]['num_nodes'], 'OK' if n == nets[i]['num_nodes'] else 'DIFF', flush=True)
    json.dump(out, open(sys.argv[2], 'w'))
