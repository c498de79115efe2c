"""Our tool that made families/ for TorchvisionFamiliesTest: torchvision classifiers exported to ONNX as the ONNX
fixtures were (adjust_net, every tensor filled with 0.001*k, opset 13, BatchNorm kept), and ppuda's Graph of the same
module in the fixtures' graph format. Needs Debian's python3-torch/python3-torchvision/python3-networkx and a ppuda
checkout at $PPUDA (default /tmp/ppuda). Then shrink each file with ghn4j.onnx.StripWeights and keep only the dist-1
edges of the graph JSON.

    /usr/bin/python3 torchvision_families.py OUT_DIR mobilenet_v3_small mnasnet0_5 shufflenet_v2_x0_5 ...

alexnet_224 was made with adjust_net(..., large_input=True) and a 224x224 export input instead.
"""
import sys, json, os, time
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '../../../../../../environment/bench'))
sys.path.insert(0, os.environ.get('PPUDA', '/tmp/ppuda'))
import ppuda_standins; ppuda_standins.install()
import torch, torchvision
from ppuda.deepnets1m.graph import Graph
from ppuda.deepnets1m.genotypes import PRIMITIVES_DEEPNETS1M
from ppuda.utils import adjust_net
torch.set_num_threads(1)
out = sys.argv[1]; archs = sys.argv[2:]
os.makedirs(out + '/onnx', exist_ok=True); os.makedirs(out + '/graphs', exist_ok=True); os.makedirs(out + '/nets', exist_ok=True)
for arch in archs:
    t0 = time.time()
    kw = {'aux_logits': False, 'init_weights': False} if arch == 'googlenet' else {}
    m = adjust_net(getattr(torchvision.models, arch)(num_classes=10, **kw)).eval()
    with torch.no_grad():
        k = 1
        for t in list(m.parameters()) + [b for b in m.buffers() if b.is_floating_point()]:
            t.fill_(0.001 * k); k += 1
    try:
        torch.onnx.export(m, torch.zeros(2, 3, 32, 32), f'{out}/onnx/{arch}.onnx', opset_version=13, do_constant_folding=False,
                          training=torch.onnx.TrainingMode.PRESERVE, input_names=['input'], output_names=['logits'],
                          dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    except Exception as e:
        print(arch, 'export failed', e); continue
    g = Graph(m, ve_cutoff=50)
    nodes = []
    for i, node in enumerate(g._nodes):
        prim = PRIMITIVES_DEEPNETS1M[g.node_feat[i].item()]
        sz = g._param_shapes[i]
        params = []
        if node['module'] is not None:
            pn = node['param_name']
            params = [{'name': pn, 'shape': list(dict(m.named_parameters())[pn].shape), 'is_weight': pn.endswith('weight')}]
            if prim in ('bn', 'ln'):
                b = pn[:-len('weight')] + 'bias'
                params.append({'name': b, 'shape': list(dict(m.named_parameters())[b].shape), 'is_weight': False})
        nodes.append({'primitive': prim, 'primitive_id': g.node_feat[i].item(), 'name': node['param_name'],
                      'shape': None if sz is None else [int(s) for s in sz], 'cell': 0, 'params': params})
    edges = [[int(a), int(b), int(d)] for a, b, d in g.edges.tolist()]
    json.dump({'n_cells': 1, 've_cutoff': 50, 'nodes': nodes, 'edges': edges}, open(f'{out}/graphs/onnx-{arch}.json', 'w'))
    sd = [[n, list(p.shape)] for n, p in m.named_parameters()]
    json.dump({'kind': 'onnx', 'file': f'onnx/{arch}.onnx', 'arch': arch, 'num_classes': 10, 'adjust_net': True,
               'num_params': sum(p.numel() for p in m.parameters()), 'state_dict': sd, 'note': 'torchvision_families.py'},
              open(f'{out}/nets/onnx-{arch}.json', 'w'))
    print(arch, len(nodes), 'nodes', time.time() - t0, 's', flush=True)
