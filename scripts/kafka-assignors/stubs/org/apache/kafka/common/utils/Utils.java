package org.apache.kafka.common.utils;
import java.util.*;
public class Utils {
  public static <T extends Comparable<? super T>> List<T> sorted(Collection<T> c) { List<T> r = new ArrayList<>(c); Collections.sort(r); return Collections.unmodifiableList(r); }
  public static <T> Class<? extends T> loadClass(String k, Class<T> b) throws ClassNotFoundException { throw new ClassNotFoundException(k); }
  public static <T> T newInstance(Class<T> c) { throw new RuntimeException(); }
  public static String join(Collection<?> c, String s) { StringBuilder b = new StringBuilder(); for (Object o : c) { if (b.length() > 0) b.append(s); b.append(o); } return b.toString(); }
  public static <T> String mkString(Collection<T> c) { return c.toString(); }
}
