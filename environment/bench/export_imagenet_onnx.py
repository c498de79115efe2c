"""Exports torchvision ImageNet classifiers to ONNX for `./ghn4j bench ghn3` and notebook 09 (our own script).

Same export as the GHN-3 fixtures (../shared/fixtures/ghn3/README.md): torchvision's default constructor (1000
classes, random weights: the bench and the notebook predict the parameters anyway), eval(), opset 14, no constant
folding, training=PRESERVE (BatchNorm kept), input 'input' [batch, 3, 224, 224], output 'logits'.
Needs Debian's python3-torch / python3-torchvision (PyTorch 1.13, torchvision 0.14).

  /usr/bin/python3 export_imagenet_onnx.py OUT_DIR resnet50 vit_b_16 [more torchvision model names]
"""
import os
import sys

import torch
import torchvision


def export(name, out_dir):
    path = os.path.join(out_dir, name + '.onnx')
    if os.path.exists(path):
        print('exists: ' + path)
        return
    torch.manual_seed(0)
    model = getattr(torchvision.models, name)().eval()
    tmp = path + '.tmp'
    torch.onnx.export(model, torch.zeros(1, 3, 224, 224), tmp, opset_version=14, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    os.replace(tmp, path)
    print('wrote %s (%d parameters)' % (path, sum(p.numel() for p in model.parameters())))


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    os.makedirs(sys.argv[1], exist_ok=True)
    torch.set_num_threads(1)
    for name in sys.argv[2:]:
        export(name, sys.argv[1])


if __name__ == '__main__':
    main()
