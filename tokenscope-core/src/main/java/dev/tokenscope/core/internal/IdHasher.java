package dev.tokenscope.core.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * Pseudonymises user and customer ids with HMAC-SHA256, so telemetry can group by user without
 * holding the id. Without a configured key, a random per-process key is used (ids stay private but
 * the same user hashes differently after a restart and on another instance) and a warning says so,
 * once.
 */
public final class IdHasher {

  private static final Logger logger = Logger.getLogger(IdHasher.class.getName());
  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  /** Shortest accepted key, in bytes. */
  public static final int MIN_KEY_BYTES = 16;

  private final @Nullable SecretKeySpec key;
  private final boolean configured;
  private final AtomicBoolean warned = new AtomicBoolean();
  private final ThreadLocal<Mac> macs;

  private IdHasher(@Nullable SecretKeySpec key, boolean configured) {
    this.key = key;
    this.configured = configured;
    this.macs = key == null ? null : ThreadLocal.withInitial(this::newMac);
  }

  /** Hashes with {@code secret} (at least {@value #MIN_KEY_BYTES} bytes of UTF-8). */
  public static IdHasher withKey(String secret) {
    byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
    if (bytes.length < MIN_KEY_BYTES) {
      throw new IllegalArgumentException(
          "the association hash key must be at least "
              + MIN_KEY_BYTES
              + " bytes long (got "
              + bytes.length
              + "); use a random secret, e.g. `openssl rand -hex 32`");
    }
    return new IdHasher(new SecretKeySpec(bytes, ALGORITHM), true);
  }

  /** Hashes with a random key of this process, warning once on first use. */
  public static IdHasher withRandomKey() {
    byte[] bytes = new byte[32];
    new SecureRandom().nextBytes(bytes);
    return new IdHasher(new SecretKeySpec(bytes, ALGORITHM), false);
  }

  /** Records ids as they are: the user turned hashing off. */
  public static IdHasher disabled() {
    return new IdHasher(null, true);
  }

  /** True when ids are hashed. */
  public boolean enabled() {
    return key != null;
  }

  /** The id's pseudonym: 32 hex digits (the first 128 bits of the HMAC), or the id unhashed. */
  public String hash(String id) {
    if (key == null) {
      return id;
    }
    if (!configured && warned.compareAndSet(false, true)) {
      logger.log(
          Level.WARNING,
          "TokenScope: no key is configured for hashing user and customer ids, so a random key of"
              + " this process is used: the same user gets a different hash after a restart and on"
              + " another instance. Set TOKENSCOPE_ASSOCIATION_HASH_KEY (system property"
              + " tokenscope.association.hash.key, or TokenScope.builder().associationHashKey(..))"
              + " to a secret of at least 16 bytes; TOKENSCOPE_ASSOCIATION_HASH=false records ids"
              + " unhashed.");
    }
    byte[] digest = macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8));
    char[] out = new char[32];
    for (int i = 0; i < 16; i++) {
      out[2 * i] = HEX[(digest[i] >> 4) & 0xf];
      out[2 * i + 1] = HEX[digest[i] & 0xf];
    }
    return new String(out);
  }

  private Mac newMac() {
    try {
      Mac mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
      return mac;
    } catch (GeneralSecurityException e) {
      // HmacSHA256 is mandatory in every Java platform.
      throw new IllegalStateException("HmacSHA256 is not available", e);
    }
  }
}
