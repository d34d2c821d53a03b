package io.flywheel.httpapi;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.util.ReferenceCountUtil;

/**
 * Aggregates a request and its body into a {@link io.netty.handler.codec.http.FullHttpRequest},
 * up to {@code maxBodyBytes}. A larger body is consumed without being kept and the request is
 * passed on as {@link Oversized}, so the handler can answer 413 and keep the connection.
 */
final class BoundedBodyAggregator extends ChannelInboundHandlerAdapter {
  /** A request whose body exceeded the limit; its content was discarded. */
  record Oversized(HttpRequest request) {}

  private final int maxBodyBytes;
  private HttpRequest current;
  private CompositeByteBuf body;
  private boolean oversized;

  BoundedBodyAggregator(int maxBodyBytes) {
    this.maxBodyBytes = maxBodyBytes;
  }

  @Override
  public void channelRead(ChannelHandlerContext ctx, Object msg) {
    if (msg instanceof HttpRequest request) {
      releaseBody();
      current = request;
      oversized = false;
      body = ctx.alloc().compositeBuffer(1024);
    }
    if (msg instanceof HttpContent content) {
      try {
        if (current == null) {
          return; // content without a request: the codec already reported the failure
        }
        ByteBuf data = content.content();
        if (!oversized && body.readableBytes() + data.readableBytes() > maxBodyBytes) {
          oversized = true;
          releaseBody();
        }
        if (!oversized && data.isReadable()) {
          body.addComponent(true, data.retain());
        }
        if (content instanceof LastHttpContent) {
          HttpRequest request = current;
          current = null;
          if (oversized) {
            ctx.fireChannelRead(new Oversized(request));
          } else {
            DefaultFullHttpRequest full = new DefaultFullHttpRequest(request.protocolVersion(), request.method(), request.uri(),
                body, request.headers(), ((LastHttpContent) content).trailingHeaders());
            full.setDecoderResult(request.decoderResult());
            body = null;
            ctx.fireChannelRead(full);
          }
        }
      } finally {
        ReferenceCountUtil.release(content);
      }
    } else if (!(msg instanceof HttpRequest)) {
      ctx.fireChannelRead(msg);
    }
  }

  private void releaseBody() {
    if (body != null) {
      body.release();
      body = null;
    }
  }

  @Override
  public void channelInactive(ChannelHandlerContext ctx) {
    releaseBody();
    ctx.fireChannelInactive();
  }
}
