package dev.panoptim.track;

import java.security.SecureRandom;

/** Run ids as W&amp;B makes them: 8 random characters from [0-9a-z] (36^8, about 2.8e12 ids). */
final class RunIds {
    static final int LENGTH = 8;
    private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";
    private static final SecureRandom RANDOM = new SecureRandom();

    private RunIds() {}

    static String next() {
        char[] c = new char[LENGTH];
        for (int i = 0; i < LENGTH; i++) c[i] = ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length()));
        return new String(c);
    }
}
