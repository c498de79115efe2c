package ghn4j.download;

import java.io.IOException;

/**
 * A file that is not in the cache and cannot be fetched (offline, no network, no URL): the message
 * names the file, where to get it and where to put it.
 */
public final class MissingFileException extends IOException {

  public MissingFileException(String message, Throwable cause) {
    super(message, cause);
  }
}
