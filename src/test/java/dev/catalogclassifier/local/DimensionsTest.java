package dev.catalogclassifier.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** How sizes are read from catalogue texts, and how alike two items' sizes are. */
class DimensionsTest {

    /** Sizes are kept as logarithms, so centimetres come back to within float rounding. */
    private static final org.assertj.core.data.Offset<Float> CM = within(1e-3f);

    @Test
    void readsTheFirstGroupOfSizesInCentimetres() {
        assertThat(Dimensions.parse("Wardrobe, 100x58x236 cm").cm()).containsExactly(new float[] { 100f, 58f, 236f }, CM);
        assertThat(Dimensions.parse("Bed frame, 140x200 cm, black").cm()).containsExactly(new float[] { 140f, 200f }, CM);
        assertThat(Dimensions.parse("Chair cushion, 40/35x38x7 cm").cm()).containsExactly(new float[] { 40f, 38f, 7f }, CM);
        assertThat(Dimensions.parse("Knob, 14 mm").cm()[0]).isCloseTo(1.4f, within(1e-5f));
        assertThat(Dimensions.parse("Curtain rod, 1,5 m").cm()[0]).isCloseTo(150f, within(1e-3f));
        assertThat(Dimensions.parse("Desk 120 x 60 cm").cm()).containsExactly(new float[] { 120f, 60f }, CM);
    }

    @Test
    void textsWithoutSizesHaveNone() {
        assertThat(Dimensions.parse("3-seat sofa").isKnown()).isFalse();
        assertThat(Dimensions.parse("2 sections").isKnown()).isFalse();
        assertThat(Dimensions.parse(null)).isEqualTo(Dimensions.NONE);
        assertThat(Dimensions.ofCm(0f, 40f)).isEqualTo(Dimensions.NONE);
    }

    @Test
    void theNameGivesTheSizesOnlyWhenTheDescriptionHasNone() {
        assertThat(ItemText.sizesOf("MALM 160x200 cm", "Bed frame, 140x200 cm").cm()).containsExactly(new float[] { 140f, 200f }, CM);
        assertThat(ItemText.sizesOf("MALM bed frame 160x200 cm", null).cm()).containsExactly(new float[] { 160f, 200f }, CM);
    }

    @Test
    void sizesAreAlikeByTheirRatiosAndOnlyWhenTheyGiveTheSameMeasures() {
        Dimensions wardrobe = Dimensions.parse("100x58x236 cm");
        assertThat(wardrobe.similarity(Dimensions.parse("100x58x236 cm"), 0.25)).isEqualTo(1.0);
        double nearWardrobe = wardrobe.similarity(Dimensions.parse("75x58x236 cm"), 0.25);
        double tvBench = wardrobe.similarity(Dimensions.parse("120x40x64 cm"), 0.25);
        assertThat(nearWardrobe).isGreaterThan(0.5).isGreaterThan(tvBench);
        // the same ratio counts the same at any size: 40 against 50 cm as 160 against 200
        assertThat(Dimensions.parse("40 cm").similarity(Dimensions.parse("50 cm"), 0.25))
                .isCloseTo(Dimensions.parse("160 cm").similarity(Dimensions.parse("200 cm"), 0.25), within(1e-6));
        assertThat(wardrobe.similarity(Dimensions.parse("100x58 cm"), 0.25)).isZero();
        assertThat(wardrobe.similarity(Dimensions.NONE, 0.25)).isZero();
    }
}
