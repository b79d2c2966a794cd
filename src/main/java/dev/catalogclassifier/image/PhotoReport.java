package dev.catalogclassifier.image;

import java.awt.image.BufferedImage;
import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonIgnore;

import io.quarkus.runtime.annotations.RegisterForReflection;

/** What the checks found for one photo; the decoded image travels along for resizing, never into JSON. */
@RegisterForReflection
public record PhotoReport(String name, boolean valid, List<PhotoCheck> checks, @JsonIgnore BufferedImage image) {

    /** The first failed check: the reason a photo is rejected. */
    public Optional<PhotoCheck> failure() {
        return checks.stream().filter(c -> !c.passed()).findFirst();
    }

    PhotoReport withoutImage() {
        return new PhotoReport(name, valid, checks, null);
    }

    /** A photo that never reached the checks (not fetched, unsafe path in a ZIP …). */
    static PhotoReport refused(String name, String code) {
        return new PhotoReport(name, false, List.of(new PhotoCheck(code, null, null, false)), null);
    }
}
