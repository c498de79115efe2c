"""Makes resnet20.onnx, the example model of notebooks/08-your-own-model.ipynb: ResNet-20 for CIFAR-10 as He et al.
(2016, section 4.2) define it -- a 3x3 stem with 16 channels, three stages of three basic blocks with 16, 32 and 64
channels, global average pooling and a 10-way linear layer, 0.27 M parameters -- with 1x1 convolution + BatchNorm
shortcuts where the shape changes (the paper's option B), written as a user would write their own network in PyTorch.

It is exported as ghn4j's importer expects (eval mode, opset 13, BatchNorm kept: TrainingMode.PRESERVE and no constant
folding; input 'input' [batch, 3, 32, 32], output 'logits'). The weights are PyTorch's default initialisation (seed 0):
their values do not matter, the GHN predicts all of them; they only make the file runnable as it is.
Needs PyTorch (Debian's python3-torch 1.13.1 was used for the committed file):

    python3 notebooks/models/make_example.py notebooks/models/resnet20.onnx
"""
import sys

import torch
from torch import nn


class BasicBlock(nn.Module):
    def __init__(self, c_in, c_out, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(c_in, c_out, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(c_out)
        self.shortcut = nn.Sequential()
        if stride != 1 or c_in != c_out:
            self.shortcut = nn.Sequential(nn.Conv2d(c_in, c_out, 1, stride, bias=False), nn.BatchNorm2d(c_out))

    def forward(self, x):
        y = torch.relu(self.bn1(self.conv1(x)))
        y = self.bn2(self.conv2(y))
        return torch.relu(y + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, num_classes=10, widths=(16, 32, 64), blocks=3):
        super().__init__()
        self.conv1 = nn.Conv2d(3, widths[0], 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(widths[0])
        layers, c = [], widths[0]
        for i, w in enumerate(widths):
            stage = []
            for b in range(blocks):
                stage.append(BasicBlock(c, w, 2 if i > 0 and b == 0 else 1))
                c = w
            layers.append(nn.Sequential(*stage))
        self.layer1, self.layer2, self.layer3 = layers
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Linear(c, num_classes)

    def forward(self, x):
        x = torch.relu(self.bn1(self.conv1(x)))
        x = self.layer3(self.layer2(self.layer1(x)))
        return self.fc(torch.flatten(self.pool(x), 1))


if __name__ == '__main__':
    out = sys.argv[1] if len(sys.argv) > 1 else 'resnet20.onnx'
    torch.manual_seed(0)
    model = ResNet20().eval()
    torch.onnx.export(model, torch.zeros(2, 3, 32, 32), out, opset_version=13, do_constant_folding=False,
                      training=torch.onnx.TrainingMode.PRESERVE, input_names=['input'], output_names=['logits'],
                      dynamic_axes={'input': {0: 'batch'}, 'logits': {0: 'batch'}})
    print(out, sum(p.numel() for p in model.parameters()), 'parameters', flush=True)
