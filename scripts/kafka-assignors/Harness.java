package harness;
import java.util.*;
import org.apache.kafka.clients.consumer.*;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.internals.AbstractStickyAssignor;
import org.apache.kafka.common.*;

/** Reads cases from stdin: one per line, "assignor|t0:3,t1:2|m1;sub=t0,t1;owned=t0-0,t1-1;gen=3;inst=x|m2;..." ; prints member=tp,tp;... per line. */
public class Harness {
  static class Sticky extends AbstractStickyAssignor {
    public String name() { return "sticky"; }
    protected MemberData memberData(Subscription s) { return new MemberData(s.ownedPartitions(), s.generationId(), s.rackId()); }
  }
  static class Coop extends AbstractStickyAssignor {
    public String name() { return "cooperative-sticky"; }
    protected MemberData memberData(Subscription s) { return new MemberData(s.ownedPartitions(), s.generationId(), s.rackId()); }
    @Override public Map<String, List<TopicPartition>> assignPartitions(Map<String, List<PartitionInfo>> ppt, Map<String, Subscription> subs) {
      Map<String, List<TopicPartition>> a = super.assignPartitions(ppt, subs);
      Map<TopicPartition, String> t = super.partitionsTransferringOwnership == null ? compute(subs, a) : super.partitionsTransferringOwnership;
      for (Map.Entry<TopicPartition, String> e : t.entrySet()) a.get(e.getValue()).remove(e.getKey());
      return a;
    }
    Map<TopicPartition, String> compute(Map<String, Subscription> subs, Map<String, List<TopicPartition>> a) {
      Map<TopicPartition, String> added = new HashMap<>(); Set<TopicPartition> revoked = new HashSet<>();
      for (Map.Entry<String, List<TopicPartition>> e : a.entrySet()) {
        List<TopicPartition> owned = subs.get(e.getKey()).ownedPartitions(); Set<TopicPartition> os = new HashSet<>(owned);
        for (TopicPartition tp : e.getValue()) if (!os.contains(tp)) added.put(tp, e.getKey());
        Set<TopicPartition> as = new HashSet<>(e.getValue()); for (TopicPartition tp : owned) if (!as.contains(tp)) revoked.add(tp);
      }
      added.keySet().retainAll(revoked); return added;
    }
  }
  public static void main(String[] args) throws Exception {
    java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
    String line;
    while ((line = in.readLine()) != null) {
      String[] parts = line.split("\\|");
      ConsumerPartitionAssignor assignor = switch (parts[0]) {
        case "range" -> new RangeAssignor(); case "roundrobin" -> new RoundRobinAssignor();
        case "sticky" -> new Sticky(); default -> new Coop(); };
      List<PartitionInfo> infos = new ArrayList<>(); Set<String> topics = new HashSet<>();
      for (String tc : parts[1].split(",")) { if (tc.isEmpty()) continue; String[] x = tc.split(":"); topics.add(x[0]);
        for (int i = 0; i < Integer.parseInt(x[1]); i++) infos.add(new PartitionInfo(x[0], i, null, new Node[0], new Node[0])); }
      Cluster cluster = new Cluster("c", new ArrayList<Node>(), infos, Collections.emptySet(), Collections.emptySet());
      Map<String, Subscription> subs = new HashMap<>();
      for (int i = 2; i < parts.length; i++) {
        String[] f = parts[i].split(";"); String id = f[0]; List<String> sub = new ArrayList<>(); List<TopicPartition> owned = new ArrayList<>();
        Optional<Integer> gen = Optional.empty(); Optional<String> inst = Optional.empty();
        for (int j = 1; j < f.length; j++) { String[] kv = f[j].split("=", 2); String v = kv.length > 1 ? kv[1] : "";
          if (kv[0].equals("sub")) { for (String t : v.split(",")) if (!t.isEmpty()) sub.add(t); }
          else if (kv[0].equals("owned")) { for (String t : v.split(",")) if (!t.isEmpty()) { int k = t.lastIndexOf('-'); owned.add(new TopicPartition(t.substring(0, k), Integer.parseInt(t.substring(k + 1)))); } }
          else if (kv[0].equals("gen")) gen = Optional.of(Integer.parseInt(v)); else if (kv[0].equals("inst")) inst = Optional.of(v); }
        Subscription s = new Subscription(sub, null, owned, gen.orElse(-1), Optional.empty());
        s.setGroupInstanceId(inst);
        subs.put(id, s);
      }
      Map<String, ConsumerPartitionAssignor.Assignment> out;
      try { out = assignor.assign(cluster, new ConsumerPartitionAssignor.GroupSubscription(subs)).groupAssignment(); }
      catch (RuntimeException e) { System.out.println("ERROR " + e.getClass().getSimpleName()); continue; }
      StringBuilder b = new StringBuilder(); List<String> ids = new ArrayList<>(out.keySet()); Collections.sort(ids);
      for (String id : ids) { if (b.length() > 0) b.append(";"); b.append(id).append("="); List<String> tps = new ArrayList<>();
        for (TopicPartition tp : out.get(id).partitions()) tps.add(tp.topic() + "-" + tp.partition()); b.append(String.join(",", tps)); }
      System.out.println(b);
    }
  }
}
