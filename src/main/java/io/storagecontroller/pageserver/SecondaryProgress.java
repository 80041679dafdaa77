package io.storagecontroller.pageserver;

/** How far a secondary location has downloaded its heatmap's layers. */
public record SecondaryProgress(
    String heatmapMtime,
    long layersDownloaded,
    long layersTotal,
    long bytesDownloaded,
    long bytesTotal) {

  public boolean complete() {
    return heatmapMtime != null && layersDownloaded >= layersTotal && bytesDownloaded >= bytesTotal;
  }
}
