import java.net.*; import java.net.http.*;
public class Lat { public static void main(String[] a) throws Exception {
  HttpClient jdk = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  for (String m : new String[]{"GET","PUT"}) { for (int r=0;r<3;r++){ long t=System.nanoTime(); int n=50;
   for (int i=0;i<n;i++){ HttpRequest q = HttpRequest.newBuilder(URI.create("http://127.0.0.1:18080/x")).header("Content-Type","application/json").method(m, m.equals("GET")? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build(); jdk.send(q, HttpResponse.BodyHandlers.ofString()); }
   System.out.printf("%s %.2f ms/req%n", m, (System.nanoTime()-t)/1e6/n); } } } }
