package dev.ordo.run;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ordo.OrdoException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** {@link StateStore#files}: a JSON file per deployment, replaced atomically. */
final class FileStateStore implements StateStore {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Path directory;

    FileStateStore(Path directory) {
        this.directory = directory;
    }

    private Path fileOf(String deployment) {
        return directory.resolve(deployment + ".state.json");
    }

    @Override
    public Optional<LivingState> load(String deployment) {
        Path file = fileOf(deployment);
        try {
            Map<String, Object> read = JSON.readValue(Files.readAllBytes(file),
                    new TypeReference<Map<String, Object>>() { });
            Map<String, Instant> fires = new LinkedHashMap<>();
            Object last = read.get("lastFires");
            if (last instanceof Map<?, ?> m) {
                m.forEach((k, v) -> fires.put(String.valueOf(k), Instant.parse(String.valueOf(v))));
            }
            return Optional.of(new LivingState(deployment, fires));
        } catch (NoSuchFileException absent) {
            return Optional.empty();
        } catch (IOException | RuntimeException e) {
            throw new OrdoException("the state of living deployment '" + deployment + "' in " + file + " cannot be"
                    + " read (" + e.getMessage() + "); move the file away to start without it (missed fires are then"
                    + " not caught up)", e);
        }
    }

    @Override
    public void save(LivingState state) {
        Path file = fileOf(state.deployment());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("deployment", state.deployment());
        Map<String, String> fires = new LinkedHashMap<>();
        state.lastFires().forEach((k, v) -> fires.put(k, v.toString()));
        out.put("lastFires", fires);
        try {
            Files.createDirectories(directory);
            Path temp = Files.createTempFile(directory, state.deployment() + ".", ".tmp");
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ch.write(ByteBuffer.wrap(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(out)));
                ch.force(true); // on disk before it replaces the old file: a crash leaves one of the two, whole
            }
            try {
                Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new OrdoException("the state of living deployment '" + state.deployment() + "' cannot be written"
                    + " to " + file + " (" + e.getMessage() + "); make " + directory + " writable", e);
        }
    }
}
