"""PyTorch peer of the Java (Deeplearning4j) VAE/GAN training-step benchmark.

The same training step as the Java harness (org.vaegan.core.benchmark.StepBenchmark, which starts
this script through org.vaegan.core.benchmark.PyTorchPeer): VAE/GAN of Larsen et al. 2016,
"Autoencoding beyond pixels", Algorithm 1, on the CPU, float32, NCHW, one forward pass and three
routed gradients per step, then one RMSProp update per network group.

Invocation (Debian's torch, not a pyenv/venv python):

    /usr/bin/python3 bench/pytorch_step.py --spec SPEC.json     # or --spec - to read stdin
    /usr/bin/python3 bench/pytorch_step.py --check              # finite-difference self-check

The spec is the JSON object PyTorchPeer.spec() writes (image_size, channels, latent, widths,
batch, warmup_steps, timed_steps, threads, seed, loss and optimizer settings, variant).
Progress goes to stderr; stdout gets exactly one line:

    RESULT {"images_per_s": ..., "median_s": ..., "p90_s": ..., "peak_rss_mib": ...,
            "gemm_gflops": ..., "torch": "...", "blas": "...", "allocator": "jemalloc|glibc"}

Must stay in step with the Java code:
  * org.vaegan.core.model.VaeGanModelFactory -- the architecture: layer order, strides, which
    layers have bias / batch norm, the Dis_l split (features = output of conv number dis_l_layer
    before its BN/ReLU), BN decay 0.9 (torch momentum 0.1) and eps 1e-5, the uniform init
    bound 1/sqrt(fan_in)/sqrt(3) (biases 0), mu/logvar column order and the logvar clamp.
  * org.vaegan.core.train.GradientRouter -- the objectives and their routing: encoder gets
    L_prior + L_llike (+ w * L_pixel), decoder gamma * L_llike (+ w * L_pixel) + generator term,
    discriminator (features and head) L_GAN only; row order [x; Dec(z); Dec(z_p)]; every
    objective differentiated as a whole function of the batch (L_llike is NOT detached on the
    real rows: through training-mode batch norm they depend on the decoder's rows too).
  * org.vaegan.core.train.RmsProp -- coupled L2 weight decay on conv/dense weights only, eps
    outside the square root: what torch.optim.RMSprop(momentum=0, centered=False) does.
Known difference kept on purpose (same shapes and FLOPs, values shifted by one pixel): DL4J's
'Same' stride-2 convolution pads top/left 1, bottom/right 2, and the Java decoder's transposed
convolution is padding 1 plus a one-pixel bottom/right crop; here they are the symmetric
padding 2 (and output_padding 1) forms. --dl4j-padding switches to the exact DL4J alignment.
"""
import argparse
import json
import math
import os
import resource
import statistics
import sys
import time

K = 5  # every convolution is 5x5



def peak_rss_mib():
    """This process's own peak RSS. ru_maxrss would not do: Linux carries the parent's peak
    (here the JVM that started us) across fork and exec."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024.0
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0

def log(msg):
    print(msg, file=sys.stderr, flush=True)


def build(spec, dl4j_padding=False):
    """The four networks of VaeGanModelFactory: encoder, decoder, dis features, dis head."""
    import torch
    from torch import nn

    def conv(cin, cout, stride, bias):
        if stride == 2 and dl4j_padding:
            return nn.Sequential(nn.ZeroPad2d((1, 2, 1, 2)), nn.Conv2d(cin, cout, K, 2, 0, bias=bias))
        return nn.Conv2d(cin, cout, K, stride, K // 2, bias=bias)

    class Crop(nn.Module):  # Cropping2D(0, 1, 0, 1)
        def forward(self, t):
            return t[:, :, :-1, :-1]

    def deconv(cin, cout):
        if dl4j_padding:
            return nn.Sequential(nn.ConvTranspose2d(cin, cout, K, 2, 1, bias=False), Crop())
        return nn.ConvTranspose2d(cin, cout, K, 2, 2, output_padding=1, bias=False)

    def half(n):  # side after a 'same' stride-2 convolution
        return (n + 1) // 2

    size, ch, latent = spec["image_size"], spec["channels"], spec["latent"]

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            layers, cin, side = [], ch, size
            for w in spec["encoder_widths"]:
                layers += [conv(cin, w, 2, False), nn.BatchNorm2d(w), nn.ReLU()]
                cin, side = w, half(side)
            fc = spec["encoder_fc"]
            layers += [nn.Flatten(), nn.Linear(cin * side * side, fc, bias=False), nn.BatchNorm1d(fc), nn.ReLU(),
                       nn.Linear(fc, 2 * latent)]
            self.net = nn.Sequential(*layers)

        def forward(self, x):
            out = self.net(x)
            return out[:, :latent], torch.clamp(out[:, latent:], -spec["logvar_clamp"], spec["logvar_clamp"])

    class Decoder(nn.Module):
        def __init__(self):
            super().__init__()
            widths = spec["decoder_widths"]
            self.base = size >> (len(widths) - 1)
            self.w0 = widths[0]
            n = widths[0] * self.base * self.base
            self.fc = nn.Sequential(nn.Linear(latent, n, bias=False), nn.BatchNorm1d(n), nn.ReLU())
            layers = []
            for cin, w in zip(widths, widths[1:]):
                layers += [deconv(cin, w), nn.BatchNorm2d(w), nn.ReLU()]
            layers += [conv(widths[-1], ch, 1, True), nn.Tanh()]
            self.convs = nn.Sequential(*layers)

        def forward(self, z):
            return self.convs(self.fc(z).view(-1, self.w0, self.base, self.base))

    widths, dis_l = spec["discriminator_widths"], spec["dis_l_layer"]

    def after_conv(k):  # conv 1: ReLU only; the others: BN then ReLU
        return [nn.ReLU()] if k == 1 else [nn.BatchNorm2d(widths[k - 1]), nn.ReLU()]

    feats, cin, side = [], ch, size
    for k in range(1, dis_l + 1):
        if k > 1:
            feats += after_conv(k - 1)
        feats.append(conv(cin, widths[k - 1], 1 if k == 1 else 2, k == 1))
        cin, side = widths[k - 1], side if k == 1 else half(side)
    head = after_conv(dis_l)
    for k in range(dis_l + 1, len(widths) + 1):
        head += [conv(cin, widths[k - 1], 2, False)] + after_conv(k)
        cin, side = widths[k - 1], half(side)
    fc = spec["discriminator_fc"]
    head += [nn.Flatten(), nn.Linear(cin * side * side, fc, bias=False), nn.BatchNorm1d(fc), nn.ReLU(),
             nn.Linear(fc, 1)]

    nets = {"enc": Encoder(), "dec": Decoder(), "dis_f": nn.Sequential(*feats), "dis_h": nn.Sequential(*head)}
    with torch.no_grad():  # AuthorsUniformInit on weights, biases 0; BN gamma 1, beta 0 (torch's default)
        for net in nets.values():
            for m in net.modules():
                if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
                    fan_in = m.in_features if isinstance(m, nn.Linear) else m.in_channels * K * K
                    a = 1.0 / math.sqrt(fan_in) / math.sqrt(3.0)
                    m.weight.uniform_(-a, a)
                    if m.bias is not None:
                        m.bias.zero_()
    for net in nets.values():
        net.train()
    return nets


def objectives(nets, spec, x, eps, zp):
    """One forward pass; each group's own objective, plus the scalar scores."""
    import torch
    b, variant = x.shape[0], spec.get("variant", "vaegan")
    if variant not in ("vaegan", "vae"):
        raise NotImplementedError("variant " + variant)
    mu, logvar = nets["enc"](x)
    z = mu + torch.exp(0.5 * logvar) * eps
    l_prior = -0.5 * torch.sum(1 + logvar - mu * mu - torch.exp(logvar))
    if variant == "vae":
        l_pix = 0.5 * torch.sum((nets["dec"](z) - x) ** 2)
        return {"enc": l_prior + l_pix, "dec": l_pix}, {"prior": l_prior, "pixel": l_pix}

    dec = nets["dec"](torch.cat([z, zp]))
    feats = nets["dis_f"](torch.cat([x, dec]))
    d = torch.sigmoid(nets["dis_h"](feats).view(-1))
    e = spec["log_eps"]
    d_real, d_recon, d_prior = d[:b], d[b:2 * b], d[2 * b:]
    real = torch.mean(-torch.log(d_real + e))
    fake_prior = torch.mean(-torch.log(1 - d_prior + e))
    gan_recon = spec["gan_reconstructions"]
    fake_recon = torch.mean(-torch.log(1 - d_recon + e)) if gan_recon else 0.0
    l_gan = real + fake_prior + fake_recon
    if spec["generator"] == "non-saturating":
        gen = torch.mean(-torch.log(d_prior + e))
        if gan_recon:
            gen = gen + torch.mean(-torch.log(d_recon + e))
    elif spec["generator"] == "saturating":
        gen = -(fake_prior + fake_recon)
    else:
        raise NotImplementedError("generator " + spec["generator"])
    l_llike = 0.5 * torch.sum((feats[b:2 * b] - feats[:b]) ** 2)
    enc_obj, dec_obj = l_prior + l_llike, spec["gamma"] * l_llike + gen
    w = spec.get("pixel_weight", 0.0)
    if w > 0:
        l_pix = 0.5 * torch.sum((dec[:b] - x) ** 2)
        enc_obj, dec_obj = enc_obj + w * l_pix, dec_obj + w * l_pix
    return ({"enc": enc_obj, "dec": dec_obj, "dis": l_gan},
            {"prior": l_prior, "llike": l_llike, "gan": l_gan, "gen": gen, "real": real, "fake": fake_prior})


def groups(nets):
    g = {"enc": list(nets["enc"].parameters()), "dec": list(nets["dec"].parameters())}
    if "dis_f" in nets:
        g["dis"] = list(nets["dis_f"].parameters()) + list(nets["dis_h"].parameters())
    return g


def route(objs, params):
    """Algorithm 1: each group's gradient of its own objective, all from the same graph."""
    import torch
    names = [n for n in ("dis", "dec", "enc") if n in objs]
    return {n: torch.autograd.grad(objs[n], params[n], retain_graph=(i < len(names) - 1))
            for i, n in enumerate(names)}


def optimizers(params, spec):
    import torch
    opts = {}
    for name, ps in params.items():
        decay = [p for p in ps if p.dim() > 1]  # conv/dense weights; BN params and biases are 1-D
        rest = [p for p in ps if p.dim() <= 1]
        opts[name] = torch.optim.RMSprop(
            [{"params": decay, "weight_decay": spec["weight_decay"]}, {"params": rest, "weight_decay": 0.0}],
            lr=spec["lr"], alpha=spec["rho"], eps=spec["eps"], momentum=0, centered=False)
    return opts


def gemm_gflops(n=2048):
    import torch
    a, b = torch.randn(n, n), torch.randn(n, n)
    torch.mm(a, b)
    best = float("inf")
    for _ in range(5):
        t = time.perf_counter()
        torch.mm(a, b)
        best = min(best, time.perf_counter() - t)
    return 2.0 * n ** 3 / best / 1e9


def blas_name():
    """BLAS_INFO from torch's build config, plus the library actually mapped (Debian alternatives)."""
    import torch
    cfg = torch.__config__.show()
    info = cfg.split("BLAS_INFO=", 1)[1].split(",", 1)[0] if "BLAS_INFO=" in cfg else "?"
    libs = set()
    try:
        with open("/proc/self/maps") as f:
            for line in f:
                path = line.split()[-1]
                if "blas" in os.path.basename(path).lower():
                    real = os.path.realpath(path)
                    parent = os.path.basename(os.path.dirname(real))
                    libs.add(parent if parent != "x86_64-linux-gnu" else os.path.basename(real))
    except OSError:
        pass
    name = "+".join(sorted(libs)) or info
    if torch.backends.mkldnn.is_available():
        name += ", conv: oneDNN"
    return name if info in name else name + " (BLAS_INFO=" + info + ")"


def allocator_name():
    """jemalloc when LD_PRELOAD (inherited from bin/vaegan) mapped it, else glibc's malloc."""
    try:
        with open("/proc/self/maps") as f:
            if any(os.path.basename(line.split()[-1]).startswith("libjemalloc") for line in f if "/" in line):
                return "jemalloc"
    except OSError:
        return "?"
    return "glibc"


def torch_version():
    import gzip
    import torch
    try:  # Debian's build reports 1.13.0a0; its changelog has the real upstream version
        with gzip.open("/usr/share/doc/python3-torch/changelog.Debian.gz", "rt") as f:
            return f.readline().split("(", 1)[1].split(")", 1)[0].split("+", 1)[0]
    except (OSError, IndexError):
        return torch.__version__


def bench(spec, dl4j_padding):
    import torch
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(spec["seed"])
    nets = build(spec, dl4j_padding)
    if spec.get("variant", "vaegan") == "vae":
        del nets["dis_f"], nets["dis_h"]
    params = groups(nets)
    opts = optimizers(params, spec)
    b, latent = spec["batch"], spec["latent"]
    counts = {n: sum(p.numel() for p in ps) for n, ps in params.items()}
    log("%s: torch %s, %d threads, batch %d, params %s" % (spec.get("name", "model"), torch.__version__,
                                                          torch.get_num_threads(), b, counts))
    x = torch.rand(b, spec["channels"], spec["image_size"], spec["image_size"]) * 2 - 1
    times = []
    for step in range(spec["warmup_steps"] + spec["timed_steps"]):
        t0 = time.perf_counter()
        eps = torch.randn(b, latent)
        zp = torch.randn(b, latent)
        objs, terms = objectives(nets, spec, x, eps, zp)
        grads = route(objs, params)
        # Equilibrium gate skipped (all groups update), but the scores it reads are computed.
        scores = {k: float(v) for k, v in terms.items() if k in ("real", "fake")}
        for name, gs in grads.items():
            for p, g in zip(params[name], gs):
                p.grad = g
            opts[name].step()
        dt = time.perf_counter() - t0
        warm = step < spec["warmup_steps"]
        if not warm:
            times.append(dt)
        log("step %d%s: %.3f s  %s" % (step, " (warm-up)" if warm else "", dt,
                                       " ".join("%s=%.4g" % (k, float(v)) for k, v in {**terms, **scores}.items())))
    gflops = gemm_gflops()
    log("gemm 2048^3 float32: %.1f GFLOP/s" % gflops)
    s = sorted(times)
    return {
        "images_per_s": round(len(times) * b / sum(times), 3),
        "median_s": round(statistics.median(times), 4),
        "p90_s": round(s[math.ceil(0.9 * len(s)) - 1], 4),
        "peak_rss_mib": round(peak_rss_mib(), 1),
        "gemm_gflops": round(gflops, 1),
        "torch": torch_version(),
        "blas": blas_name(),
        "allocator": allocator_name(),
    }


def check():
    """Each routed gradient is the gradient of its own objective: a directional derivative per group."""
    import torch
    torch.manual_seed(0)
    tiny = {"image_size": 8, "channels": 2, "latent": 3, "encoder_widths": [3, 4], "encoder_fc": 5,
            "decoder_widths": [4, 3], "discriminator_widths": [3, 4, 3], "discriminator_fc": 5, "dis_l_layer": 3,
            "logvar_clamp": 10.0, "gamma": 0.5, "log_eps": 1e-3, "batch": 4}
    cases = [dict(variant="vaegan", generator="non-saturating", gan_reconstructions=True),
             dict(variant="vaegan", generator="saturating", gan_reconstructions=False, pixel_weight=0.3),
             dict(variant="vae")]
    for dl4j_padding in (False, True):
        for case in cases:
            spec = {**tiny, **case}
            nets = build(spec, dl4j_padding)
            for n in nets.values():
                n.double()
            params = groups(nets)
            if spec["variant"] == "vae":
                del params["dis"]
            b, lat = spec["batch"], spec["latent"]
            x = torch.rand(b, 2, 8, 8, dtype=torch.float64) * 2 - 1
            eps, zp = torch.randn(b, lat, dtype=torch.float64), torch.randn(b, lat, dtype=torch.float64)
            grads = route(objectives(nets, spec, x, eps, zp)[0], params)
            h = 1e-6
            for name, ps in params.items():
                vs = [torch.randn_like(p) for p in ps]
                norm = math.sqrt(sum(float((v * v).sum()) for v in vs))
                vs = [v / norm for v in vs]
                analytic = sum(float((g * v).sum()) for g, v in zip(grads[name], vs))
                f = []
                for sign in (1, -1):
                    with torch.no_grad():
                        for p, v in zip(ps, vs):
                            p.add_(sign * h * v)
                    f.append(float(objectives(nets, spec, x, eps, zp)[0][name]))
                    with torch.no_grad():
                        for p, v in zip(ps, vs):
                            p.sub_(sign * h * v)
                numeric = (f[0] - f[1]) / (2 * h)
                rel = abs(numeric - analytic) / max(abs(numeric), abs(analytic), 1e-12)
                label = "/".join([spec["variant"], spec.get("generator", "-"), "dl4j-pad" if dl4j_padding else "pad2"])
                log("%-26s %-3s analytic %+.8e numeric %+.8e rel %.1e" % (label, name, analytic, numeric, rel))
                if not rel < 1e-4:
                    print("check FAILED: %s %s rel %.2e" % (label, name, rel))
                    return 1
    print("check ok")
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--spec", help="spec JSON file, or - for stdin")
    ap.add_argument("--check", action="store_true", help="finite-difference check of the routed gradients")
    ap.add_argument("--dl4j-padding", action="store_true",
                    help="DL4J's exact pixel alignment (asymmetric 'Same' padding, deconv pad 1 + crop)")
    args = ap.parse_args()
    if args.check:
        return check()
    if not args.spec:
        ap.error("--spec or --check is required")
    spec = json.load(sys.stdin) if args.spec == "-" else json.load(open(args.spec))
    # Before torch loads: OpenBLAS (pthread build) reads its thread count at load time.
    os.environ.setdefault("OPENBLAS_NUM_THREADS", str(spec["threads"]))
    os.environ.setdefault("OMP_NUM_THREADS", str(spec["threads"]))
    result = bench(spec, args.dl4j_padding)
    print("RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
