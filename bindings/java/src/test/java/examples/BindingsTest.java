// Runs each example program in its own JVM (as a user would, with CDK8S_OUTDIR set) and compares
// its YAML byte for byte with the TypeScript program's output (bindings/run-tests.sh writes that
// to bindings/out/typescript first). A MeshConfigError must reach Java with its whole message.
package examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.cdk8s.App;
import org.cdk8s.Chart;
import org.cdk8smesh.CanaryService;
import org.cdk8smesh.MeshService;
import org.cdk8smesh.ServicePort;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class BindingsTest {
    private static final Path OUT = Path.of(System.getProperty("bindings.out", "../out"));

    @ParameterizedTest(name = "{0} synthesizes the same YAML as TypeScript")
    @CsvSource({ "FirstService,first-service", "Resilience,resilience", "Security,security", "Observability,observability", "Environments,environments" })
    void sameYamlAsTypeScript(final String program, final String name) throws Exception {
        Path expected = OUT.resolve("typescript").resolve(name);
        assertTrue(Files.isDirectory(expected), "no TypeScript output in " + expected + ": run bindings/run-tests.sh");
        Path actual = OUT.resolve("java").resolve(name);
        deleteRecursively(actual);

        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "examples." + program);
        pb.environment().put("CDK8S_OUTDIR", actual.toString());
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(OUT.resolve("java-" + name + ".log").toFile()));
        Process p = pb.start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), program + " timed out");
        assertEquals(0, p.exitValue(), program + " failed: see " + OUT.resolve("java-" + name + ".log"));

        assertEquals(files(expected), files(actual), "the same files");
        for (String file : files(expected)) {
            byte[] want = Files.readAllBytes(expected.resolve(file));
            byte[] got = Files.readAllBytes(actual.resolve(file));
            if (!Arrays.equals(want, got)) {
                assertEquals(new String(want, StandardCharsets.UTF_8), new String(got, StandardCharsets.UTF_8), file);
                fail(file + " differs from TypeScript's in its bytes");
            }
        }
    }

    @Test
    void meshConfigErrorReachesJavaWithPathPropAndFix() {
        App app = new App();
        Chart chart = new Chart(app, "reviews");
        MeshService reviews = MeshService.Builder.create(chart, "reviews")
                .ports(List.of(ServicePort.http(9080))).versions(List.of("v1", "v2")).build();
        RuntimeException e = assertThrows(RuntimeException.class, () -> CanaryService.Builder.create(chart, "reviews-canary")
                .service(reviews).stableVersion("v1").canaryVersion("v9").stage(2).build());
        assertTrue(e.getMessage().contains("reviews/reviews-canary: canaryVersion names version \"v9\""), e.getMessage());
        assertTrue(e.getMessage().contains("Fix: add it with reviews.addVersion(\"v9\")"), e.getMessage());
    }

    private static List<String> files(final Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).map(f -> dir.relativize(f).toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void deleteRecursively(final Path dir) throws IOException {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted((a, b) -> b.compareTo(a)).map(Path::toFile).forEach(File::delete);
        }
    }
}
