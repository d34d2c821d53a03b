package io.flywheel.httpapi;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import io.flywheel.httpapi.auth.SigV4Verifier;
import io.flywheel.router.Router;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerExpectContinueHandler;
import io.netty.handler.timeout.IdleStateHandler;
import java.net.InetSocketAddress;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;

/** The DynamoDB HTTP endpoint: binds, serves, stops. */
public final class HttpServer implements AutoCloseable {
  private final EventLoopGroup boss;
  private final EventLoopGroup workers;
  private final Channel channel;

  /**
   * @param config listen address, limits and threads
   * @param requestIdPrefix distinguishes this router's request ids from other routers'
   */
  public HttpServer(HttpConfig config, Router router, SigV4Verifier verifier, ThreadFactory threads, String requestIdPrefix) {
    boolean epoll = Epoll.isAvailable();
    this.boss = new MultiThreadIoEventLoopGroup(1, threads, epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    this.workers = new MultiThreadIoEventLoopGroup(config.ioThreads(), threads,
        epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
    JsonFactory json = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(config.maxJsonNestingDepth())
            // Attribute names may be up to 64 KB; the body limit bounds them like strings.
            .maxNameLength(config.maxBodyBytes())
            .maxStringLength(config.maxBodyBytes())
            .maxDocumentLength(config.maxBodyBytes())
            .build())
        // Characters outside the BMP as 4-byte UTF-8, like the item transcoder writes them.
        .enable(JsonWriteFeature.COMBINE_UNICODE_SURROGATES_IN_UTF8)
        .build();
    DynamoHttpHandler handler = new DynamoHttpHandler(new Operations(router), verifier, json, requestIdPrefix, config.defaultRegion());
    ServerBootstrap bootstrap = new ServerBootstrap()
        .group(boss, workers)
        .channel(epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class)
        .option(ChannelOption.SO_BACKLOG, 1024)
        .childOption(ChannelOption.TCP_NODELAY, true)
        .childHandler(new ChannelInitializer<SocketChannel>() {
          @Override
          protected void initChannel(SocketChannel ch) {
            ch.pipeline()
                .addLast(new IdleStateHandler(0, 0, config.idleTimeoutSeconds(), TimeUnit.SECONDS))
                .addLast(new IdleCloser())
                .addLast(new HttpServerCodec(4096, config.maxHeaderBytes(), 65536))
                .addLast(new HttpServerExpectContinueHandler())
                .addLast(new BoundedBodyAggregator(config.maxBodyBytes()))
                .addLast(handler);
          }
        });
    try {
      this.channel = bootstrap.bind(new InetSocketAddress(config.host(), config.port())).syncUninterruptibly().channel();
    } catch (RuntimeException e) {
      close();
      throw e;
    }
  }

  /** The port actually bound (useful with port 0). */
  public int port() {
    return ((InetSocketAddress) channel.localAddress()).getPort();
  }

  @Override
  public void close() {
    if (channel != null) {
      channel.close().syncUninterruptibly();
    }
    boss.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    workers.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
  }
}
