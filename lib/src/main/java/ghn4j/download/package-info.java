/**
 * Published files fetched once, verified and cached: the {@link ghn4j.download.Catalog} of ppuda's
 * GHN checkpoints, the DeepNets-1M files and ghn4j's released checkpoint; the {@link
 * ghn4j.download.Downloader} (progress bar, resume, checksum, atomic rename, mirror, offline, the
 * JVM's proxies); the {@link ghn4j.download.Store} that keeps them in one cache directory.
 */
package ghn4j.download;
