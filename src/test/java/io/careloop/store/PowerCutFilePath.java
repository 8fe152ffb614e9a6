package io.careloop.store;

import org.h2.store.fs.FileBaseDefault;
import org.h2.store.fs.FilePath;
import org.h2.store.fs.FilePathWrapper;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An H2 file system ({@code powercut:/path}) that behaves like a disk whose cache is lost in a power cut: every write is
 * held in memory (and read back from there) until the file is forced; {@link #cutPower()} throws away whatever was
 * not forced and fails every later write, as if the machine had stopped. What the plain file holds afterwards is what
 * a power cut at that moment would have left on disk.
 */
public final class PowerCutFilePath extends FilePathWrapper {
  static final String SCHEME = "powercut";
  private static final Set<Channel> OPEN = ConcurrentHashMap.newKeySet();
  private static volatile boolean cut;
  static final AtomicInteger FORCES = new AtomicInteger();

  static {
    FilePath.register(new PowerCutFilePath());
  }

  /** H2 makes one per path by reflection. */
  public PowerCutFilePath() {}

  /** Registers the file system (once) and restores the power; returns the prefix for file names. */
  static String install() {
    cut = false;
    FORCES.set(0);
    return SCHEME + ":";
  }

  static void cutPower() {
    cut = true;
    OPEN.forEach(Channel::powerOff);
  }

  @Override public String getScheme() { return SCHEME; }

  @Override
  public FileChannel open(String mode) throws IOException {
    Channel c = new Channel(getBase().open(mode));
    OPEN.add(c);
    return c;
  }

  /** One open file: the real channel, and the writes not forced yet, in order. */
  private static final class Channel extends FileBaseDefault {
    private final FileChannel file;
    private final List<long[]> positions = new ArrayList<>();
    private final List<byte[]> pending = new ArrayList<>();
    private long size;

    Channel(FileChannel file) throws IOException {
      this.file = file;
      this.size = file.size();
    }

    synchronized void discard() {
      positions.clear();
      pending.clear();
    }

    /** Unforced writes gone, and the file (with its lock) let go, as a stopped machine does. */
    synchronized void powerOff() {
      discard();
      try {
        file.close();
      } catch (IOException ignored) {
        // already closed
      }
    }

    @Override
    public synchronized int write(ByteBuffer src, long position) throws IOException {
      if (cut) throw new IOException("the power is off");
      byte[] bytes = new byte[src.remaining()];
      src.get(bytes);
      positions.add(new long[] {position});
      pending.add(bytes);
      size = Math.max(size, position + bytes.length);
      return bytes.length;
    }

    @Override
    public synchronized int read(ByteBuffer dst, long position) throws IOException {
      if (position >= size) return -1;
      int n = (int) Math.min(dst.remaining(), size - position);
      byte[] out = new byte[n];
      ByteBuffer fromFile = ByteBuffer.wrap(out);
      long onDisk = file.size();
      if (position < onDisk) {
        fromFile.limit((int) Math.min(n, onDisk - position));
        while (fromFile.hasRemaining() && file.read(fromFile, position + fromFile.position()) > 0) {
          // read what the real file has; the rest stays zero
        }
      }
      for (int i = 0; i < pending.size(); i++) {
        long p = positions.get(i)[0];
        byte[] w = pending.get(i);
        long from = Math.max(p, position);
        long to = Math.min(p + w.length, position + n);
        if (from < to) System.arraycopy(w, (int) (from - p), out, (int) (from - position), (int) (to - from));
      }
      dst.put(out);
      return n;
    }

    @Override public synchronized long size() { return size; }

    @Override
    protected synchronized void implTruncate(long newSize) throws IOException {
      if (cut) throw new IOException("the power is off");
      // Shrinking is rare (compaction) and taken as done at once; the writes it cuts off are trimmed.
      if (file.size() > newSize) file.truncate(newSize);
      for (int i = 0; i < pending.size(); i++) {
        long p = positions.get(i)[0];
        byte[] w = pending.get(i);
        if (p >= newSize) {
          pending.set(i, new byte[0]);
        } else if (p + w.length > newSize) {
          pending.set(i, java.util.Arrays.copyOf(w, (int) (newSize - p)));
        }
      }
      size = Math.min(size, newSize);
    }

    @Override
    public synchronized void force(boolean metaData) throws IOException {
      if (cut) throw new IOException("the power is off");
      for (int i = 0; i < pending.size(); i++) {
        ByteBuffer b = ByteBuffer.wrap(pending.get(i));
        long p = positions.get(i)[0];
        while (b.hasRemaining()) p += file.write(b, p);
      }
      discard();
      file.force(metaData);
      FORCES.incrementAndGet();
    }

    @Override
    public synchronized FileLock tryLock(long position, long size, boolean shared) throws IOException {
      return file.tryLock(position, size, shared);
    }

    @Override
    protected synchronized void implCloseChannel() throws IOException {
      // A clean close hands the writes to the OS (as a real close does); after a power cut nothing more reaches it.
      if (!cut && file.isOpen()) {
        for (int i = 0; i < pending.size(); i++) {
          ByteBuffer b = ByteBuffer.wrap(pending.get(i));
          long p = positions.get(i)[0];
          while (b.hasRemaining()) p += file.write(b, p);
        }
      }
      discard();
      OPEN.remove(this);
      if (file.isOpen()) file.close();
    }
  }
}
