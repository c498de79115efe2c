"""Stand-ins for the few third-party modules ppuda imports but that Debian 12 does not package for python3.

Shared by our two oracle scripts that run the reference code: environment/bench/ppuda_side_by_side.py (timing) and
lib/src/test/resources/ghn4j/deepnets/ppuda_trace.py (autograd traces for the DeepNets-1M fixtures). ppuda needs
only einops.rearrange from einops, and from matplotlib nothing at run time; both are our own code, none of theirs.
"""
import importlib.util
import re
import sys
import types


def rearrange(x, pattern, **lengths):
    """einops.rearrange on torch tensors, as einops >= 0.4 does it: reshape only if an input axis is composite,
    permute only if the order changes, reshape again only if an output axis is composite."""

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


def install(prefer_installed=True):
    """Registers the einops and matplotlib stand-ins in sys.modules; with prefer_installed, a real module wins."""

    def have(name):
        return prefer_installed and importlib.util.find_spec(name) is not None

    if not have('einops'):
        sys.modules['einops'] = types.SimpleNamespace(rearrange=rearrange)
    if not have('matplotlib'):
        mpl = types.ModuleType('matplotlib')
        for name in ['matplotlib.pyplot', 'matplotlib.cm']:
            sys.modules[name] = types.ModuleType(name)
        mpl.cm = sys.modules['matplotlib.cm']
        sys.modules['matplotlib'] = mpl
