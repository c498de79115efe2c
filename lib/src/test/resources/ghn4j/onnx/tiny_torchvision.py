"""Our tool that made tiny/ for TinyTorchvisionNumericsTest: narrow variants of torchvision families whose ONNX export
uses the ops ghn4j's importer rewrites (ShuffleNetV2: Split/Slice, channel shuffle, mean([2, 3]); MobileNetV3:
HardSigmoid*Mul hard-swish, SE gates; EfficientNet: Sigmoid*Mul SiLU, SE; DenseNet: Pad + AveragePool, one-input
concat), with random weights, exported as the ONNX fixtures are (eval, opset 13, TrainingMode.PRESERVE, no constant
folding). Writes <name>.onnx, input.bin (float32 [4, 3, 32, 32]) and <name>.logits.bin: PyTorch's output with
BatchNorm on the batch's statistics (BN layers in train mode, everything else in eval mode), as the fixture logits.
Needs Debian's python3-torch / python3-torchvision (1.13.1 / 0.14.1).

    /usr/bin/python3 tiny_torchvision.py OUT_DIR
"""
import sys, os, functools
import torch, torchvision
from torchvision.models import shufflenetv2, mobilenetv3, efficientnet, densenet

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
torch.manual_seed(0)
x = torch.randn(4, 3, 32, 32)
x.numpy().astype('<f4').tofile(os.path.join(out, 'input.bin'))


def mobilenet_v3():
    setting, last = mobilenetv3._mobilenet_v3_conf('mobilenet_v3_small', width_mult=0.25)
    return mobilenetv3.MobileNetV3(setting, 64, num_classes=10)


def efficientnet_tiny():
    bneck = functools.partial(efficientnet.MBConvConfig, width_mult=0.25, depth_mult=0.34)
    setting = [bneck(1, 3, 1, 32, 16, 1), bneck(6, 3, 2, 16, 24, 2), bneck(6, 5, 2, 24, 40, 2)]
    return efficientnet.EfficientNet(setting, 0.2, num_classes=10, last_channel=64)


nets = {
    'shufflenet_tiny': lambda: shufflenetv2.ShuffleNetV2([2, 2, 2], [8, 16, 32, 64, 64], num_classes=10),
    'mobilenet_v3_tiny': mobilenet_v3,
    'efficientnet_tiny': efficientnet_tiny,
    'densenet_tiny': lambda: densenet.DenseNet(growth_rate=4, block_config=(2, 2), num_init_features=8, bn_size=2,
                                               num_classes=10),
}
for name, make in nets.items():
    torch.manual_seed(1)
    m = make().eval()
    with torch.no_grad():
        for n, p in m.named_parameters():
            p.copy_(torch.randn(p.shape) * (1.0 / max(1, p[0].numel()) ** 0.5) if p.dim() > 1
                    else torch.randn(p.shape) * 0.1 + (1.0 if n.endswith('weight') else 0.0))
    torch.onnx.export(m, torch.zeros(2, 3, 32, 32), os.path.join(out, name + '.onnx'), opset_version=13,
                      do_constant_folding=False, training=torch.onnx.TrainingMode.PRESERVE, input_names=['input'],
                      output_names=['logits'], dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    for mod in m.modules():
        if isinstance(mod, torch.nn.modules.batchnorm._BatchNorm):
            mod.train()
    with torch.no_grad():
        y = m(x)
    y.numpy().astype('<f4').tofile(os.path.join(out, name + '.logits.bin'))
    print(name, sum(p.numel() for p in m.parameters()), 'params', tuple(y.shape), flush=True)
