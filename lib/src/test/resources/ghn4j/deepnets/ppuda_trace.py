"""Dumps ppuda's autograd trace of DeepNets-1M nets (the oracle for ghn4j.deepnets.AutogradTrace).

Runs ppuda's own Graph(net) (ppuda/deepnets1m/graph.py) under PyTorch 1.13 and records its node list after the
topological sort and before filtering, plus the node count after filtering (the meta files' num_nodes).
Set-up used (Debian 12): apt-get install python3-torch python3-networkx  (PyTorch 1.13.1, networkx 2.8.8); a ppuda
checkout at $PPUDA (default /tmp/ppuda). einops and matplotlib are replaced by the stand-ins of
environment/bench/ppuda_standins.py, torchvision by a minimal one below (ppuda only needs einops.rearrange, and
only names from the other two).

  /usr/bin/python3 ppuda_trace.py ../shared/fixtures/reference/deepnets/bnfree_meta.json out.json [0,26]
"""
import json
import os
import sys
import tempfile
import types

import torch
import torch.nn as nn


def _install_stand_ins():
    # einops and matplotlib: the stand-ins shared with environment/bench/ppuda_side_by_side.py, always (the
    # fixtures were dumped with them)
    sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), *[os.pardir] * 6, 'environment', 'bench'))
    import ppuda_standins
    ppuda_standins.install(prefer_installed=False)
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
