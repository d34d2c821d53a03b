package io.flywheel.transport.tcp;

import io.flywheel.transport.Frame;
import io.flywheel.transport.FrameCodec;
import io.flywheel.transport.VersionRange;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A hand-driven peer on a plain socket: writes whatever bytes a test wants, reads frames back. */
final class RawPeer implements AutoCloseable {
  private final Socket socket;
  private final DataInputStream in;
  private final OutputStream out;

  RawPeer(int port) throws IOException {
    socket = new Socket(TcpCluster.HOST, port);
    socket.setSoTimeout(30_000);
    in = new DataInputStream(socket.getInputStream());
    out = socket.getOutputStream();
  }

  void write(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
  }

  void write(Frame frame) throws IOException {
    write(FrameCodec.encode(frame));
  }

  Frame readFrame() throws IOException {
    int length = in.readInt();
    byte[] frame = new byte[4 + length];
    ByteBuffer.wrap(frame).putInt(length);
    in.readFully(frame, 4, length);
    return FrameCodec.decode(ByteBuffer.wrap(frame), new VersionRange(0, VersionRange.MAX_WIRE_VERSION));
  }

  /** Completes a handshake as {@code asNode} with the bus of {@code busNode}; returns its Welcome. */
  Frame.Welcome handshake(long asNode, long busNode) throws IOException {
    write(new Frame.Hello(asNode, 12345, busNode, VersionRange.only(1), 1 << 20));
    return (Frame.Welcome) readFrame();
  }

  /**
   * Reads until the other side closes: true if it did (end of stream or reset) within the socket
   * timeout, false if it was still open then.
   */
  boolean closedByPeer() throws IOException {
    try {
      while (in.read() != -1) {
        // discard: heartbeats or whatever was in flight
      }
      return true;
    } catch (EOFException | SocketException e) {
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
