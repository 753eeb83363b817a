package dev.ordo.docker.internal.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The shell loop that waits inside a container for a command check's first pass, run by the shells images carry
 * (dash as Debian's sh, busybox's ash): it passes when the check does, pauses as long as a costly check took, and
 * gives up when its time is out.
 */
class InsideLoopTest {
    @TempDir
    Path dir;

    private record Run(int code, String out, int attempts) {
    }

    private Run run(String shell, String check, Duration left) throws Exception {
        Path count = dir.resolve("attempts");
        String argv = " 'sh' '-c' 'echo x >> " + count + "; " + check + "'";
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(shell.split(" ")))).redirectErrorStream(true);
        pb.command().add("-c");
        pb.command().add(InsideLoop.script(argv, left));
        Process p = pb.start();
        assertThat(p.waitFor(left.toSeconds() + 20, TimeUnit.SECONDS)).as("the loop ends by itself").isTrue();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        int attempts = Files.exists(count) ? Files.readAllLines(count).size() : 0;
        return new Run(p.exitValue(), out, attempts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox sh"})
    void aCheapCheckIsRetriedEveryFiftyMillisUntilItPasses(String shell) throws Exception {
        Path flag = dir.resolve("ready");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(1000);
                Files.createFile(flag);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        later.start();
        Run r = run(shell, "test -f " + flag, Duration.ofSeconds(10));
        later.join();
        assertThat(r.code()).isZero();
        assertThat(InsideLoop.lastPauseMillis("exit code 0: " + r.out())).isEqualTo(InsideLoop.PERIOD_MILLIS);
        assertThat(r.attempts()).as("attempts in about a second at 50 ms pauses").isGreaterThan(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox sh"})
    void aCostlyCheckPausesAsLongAsItTookSoItNeverTakesMoreThanHalfACore(String shell) throws Exception {
        // each attempt takes 1 s and fails: in 6 s a back-to-back loop would make 6, a 50 % duty cycle about 3
        Run r = run(shell, "sleep 1; false", Duration.ofSeconds(6));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.attempts()).isBetween(2, 4);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox sh"})
    void aCostlyCheckThatPassesReportsItsLastPause(String shell) throws Exception {
        Path flag = dir.resolve("ready");
        Thread later = new Thread(() -> {
            try {
                Thread.sleep(2500);
                Files.createFile(flag);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        later.start();
        Run r = run(shell, "sleep 1; test -f " + flag, Duration.ofSeconds(20));
        later.join();
        assertThat(r.code()).isZero();
        assertThat(InsideLoop.lastPauseMillis("exit code 0: " + r.out())).isBetween(1000L, 1900L);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox sh"})
    void aCheapCheckThatStraddlesASecondIsNotTakenForACostlyOne(String shell) throws Exception {
        // 300 ms attempts cross a second about every third time: timed in whole seconds, each crossing looked like
        // a one-second check and paused a second (PostgreSQL was reported ready 500 ms late); in 4 s at 50 ms
        // pauses there are about 10 attempts, with a second's pause per crossing about 6
        Run r = run(shell, "sleep 0.3; false", Duration.ofSeconds(4));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.attempts()).isGreaterThan(7);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/bin/sh", "/bin/busybox sh"})
    @Timeout(60) // a loop that never ended would hang here: a guard, not a timing
    void aCheckThatNeverPassesEndsTheLoopWhenItsTimeIsOut(String shell) throws Exception {
        Run r = run(shell, "false", Duration.ofSeconds(2));
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.attempts()).as("it kept trying until its time was out").isGreaterThan(1);
    }
}
