import com.sun.net.httpserver.*; import java.net.*; import java.util.concurrent.*;
public class Server { public static void main(String[] a) throws Exception {
  HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 18080), 256);
  s.setExecutor(Executors.newFixedThreadPool(8));
  byte[] body = "{\"mode\":\"AttachedSingle\",\"generation\":5,\"tenant_conf\":{}}".getBytes();
  s.createContext("/", ex -> { ex.getRequestBody().readAllBytes(); ex.getResponseHeaders().set("Content-Type","application/json"); ex.sendResponseHeaders(200, body.length); ex.getResponseBody().write(body); ex.close(); });
  s.start(); } }
