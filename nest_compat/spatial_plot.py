"""Plots of spatial networks (NEST's PlotLayer, PlotTargets, PlotSources,
PlotProbabilityParameter). matplotlib is optional: it is imported when a plot is made."""
import numpy as np

from kernel import spatial as ks

from .errors import nest_errors
from .spatial_api import (GetPosition, GetSourcePositions, GetTargetPositions, _layer,
                          mask_from_spec)

__all__ = ["PlotLayer", "PlotProbabilityParameter", "PlotSources", "PlotTargets"]


def _plt():
    try:
        import matplotlib.pyplot as plt
    except Exception as error:  # optional extra; any failure means: no plotting
        raise ImportError(f"plotting needs matplotlib ({error})") from None
    return plt


def _axes(fig):
    plt = _plt()
    if fig is None:
        fig = plt.figure()
        return fig, fig.add_subplot(111)
    return fig, (fig.gca() if fig.axes else fig.add_subplot(111))


def _draw_extent(ax, layer):
    (x0, y0), (w, h) = layer.lower_left[:2], layer.extent[:2]
    ax.plot([x0, x0 + w, x0 + w, x0, x0], [y0, y0, y0 + h, y0 + h, y0], "k-", lw=0.5)
    ax.set_xlim(x0 - 0.05 * w, x0 + 1.05 * w)
    ax.set_ylim(y0 - 0.05 * h, y0 + 1.05 * h)


@nest_errors
def PlotLayer(layer, fig=None, nodecolor="b", nodesize=20):
    """Plot the nodes of a 2-D layer (3-D layers in a 3-D axes).

    Returns
    -------
    matplotlib.figure.Figure
    """
    plt = _plt()
    lay, local = _layer(layer, "layer")
    pos = lay.positions[local]
    if lay.dim == 3:
        fig = plt.figure() if fig is None else fig
        ax = fig.add_subplot(111, projection="3d")
        ax.scatter(pos[:, 0], pos[:, 1], pos[:, 2], s=nodesize, facecolor=nodecolor)
        return fig
    fig, ax = _axes(fig)
    ax.scatter(pos[:, 0], pos[:, 1], s=nodesize, facecolor=nodecolor)
    _draw_extent(ax, lay)
    return fig


def _mask_patches(kmask, origin, color):
    """matplotlib patches for a geometric mask placed at ``origin``."""
    from matplotlib import patches
    if isinstance(kmask, ks.Anchored):
        return _mask_patches(kmask.mask, origin + kmask.anchor, color)
    if isinstance(kmask, ks.Combined):
        return _mask_patches(kmask.left, origin, color) + _mask_patches(kmask.right, origin,
                                                                          color)
    style = {"fc": color, "ec": color, "alpha": 0.35, "lw": 2}
    if isinstance(kmask, ks.Ball):
        return [patches.Circle(origin + kmask.center, kmask.radius, **style)]
    if isinstance(kmask, ks.Doughnut):
        return [patches.Annulus(origin + kmask.center, kmask.outer,
                                kmask.outer - kmask.inner, **style)]
    if isinstance(kmask, ks.Ellipse):
        return [patches.Ellipse(origin + kmask.center, 2 * kmask.half[0], 2 * kmask.half[1],
                                angle=np.rad2deg(np.arctan2(kmask.rot[1, 0], kmask.rot[0, 0])),
                                **style)]
    if isinstance(kmask, ks.Box):
        w, h = kmask.ur - kmask.ll
        return [patches.Rectangle(origin + kmask.ll, w, h, angle=kmask.angles[0],
                                  rotation_point=tuple(origin + kmask.mid), **style)]
    return []


def _add_mask(ax, mask, origin, color):
    kmask = mask_from_spec(mask)
    if isinstance(kmask, ks.GridMask):
        return
    for patch in _mask_patches(kmask, np.asarray(origin, dtype=np.float64), color):
        ax.add_patch(patch)


def _plot_partners(center, layer, positions, fig, mask, probability_parameter, color, size,
                   center_color, center_size, mask_color, cmap):
    fig, ax = _axes(fig)
    lay, _ = _layer(layer, "layer")
    pts = np.asarray(positions[0]) if positions and len(positions[0]) else np.zeros((0, 2))
    ax.scatter(pts[:, 0] if len(pts) else [], pts[:, 1] if len(pts) else [], s=size,
               facecolor=color, edgecolor="none")
    cpos = np.asarray(GetPosition(center), dtype=np.float64)
    if probability_parameter is not None:
        ext = lay.lower_left[0], lay.lower_left[0] + lay.extent[0], lay.lower_left[1], \
            lay.lower_left[1] + lay.extent[1]
        _probability_image(ax, center, probability_parameter, ext, (100, 100), cmap)
    if mask is not None:
        _add_mask(ax, mask, cpos, mask_color)
    ax.scatter([cpos[0]], [cpos[1]], s=center_size, facecolor=center_color, alpha=0.4)
    _draw_extent(ax, lay)
    return fig


@nest_errors
def PlotTargets(src_nrn, tgt_layer, syn_type=None, fig=None, mask=None,
                probability_parameter=None, src_color="red", src_size=50, tgt_color="blue",
                tgt_size=20, mask_color="yellow", probability_cmap="Greens"):
    """Plot the targets of one source node in ``tgt_layer`` (with its mask and kernel)."""
    positions = GetTargetPositions(src_nrn, tgt_layer, syn_type)
    return _plot_partners(src_nrn, tgt_layer, positions, fig, mask, probability_parameter,
                          tgt_color, tgt_size, src_color, src_size, mask_color,
                          probability_cmap)


@nest_errors
def PlotSources(src_layer, tgt_nrn, syn_type=None, fig=None, mask=None,
                probability_parameter=None, tgt_color="red", tgt_size=50, src_color="blue",
                src_size=20, mask_color="yellow", probability_cmap="Greens"):
    """Plot the sources of one target node in ``src_layer`` (with its mask and kernel)."""
    positions = GetSourcePositions(src_layer, tgt_nrn, syn_type)
    return _plot_partners(tgt_nrn, src_layer, positions, fig, mask, probability_parameter,
                          src_color, src_size, tgt_color, tgt_size, mask_color,
                          probability_cmap)


def _probability_image(ax, source, parameter, edges, shape, cmap):
    xs = np.linspace(edges[0], edges[1], shape[0])
    ys = np.linspace(edges[2], edges[3], shape[1])
    gx, gy = np.meshgrid(xs, ys)        # rows: y, columns: x
    pts = np.stack([gx.reshape(-1), gy.reshape(-1)], axis=1)
    values = np.asarray(parameter.apply(source, [list(p) for p in pts]))
    img = np.clip(values.reshape(shape[1], shape[0]), 0.0, 1.0)
    return ax.imshow(img, extent=tuple(edges), origin="lower", cmap=cmap, vmin=0.0, vmax=1.0,
                     aspect="auto")


@nest_errors
def PlotProbabilityParameter(source, parameter=None, mask=None, edges=(-0.5, 0.5, -0.5, 0.5),
                             shape=(100, 100), ax=None, prob_cmap="Greens", mask_color="yellow"):
    """Image of a connection probability Parameter around ``source`` (clipped to [0, 1]),
    with the mask drawn on top."""
    if parameter is None and mask is None:
        raise ValueError("At least one of parameter or mask must be specified")
    plt = _plt()
    if ax is None:
        _, ax = plt.subplots()
    if parameter is not None:
        _probability_image(ax, source, parameter, list(edges), list(shape), prob_cmap)
    if mask is not None:
        _add_mask(ax, mask, GetPosition(source), mask_color)
    return ax
