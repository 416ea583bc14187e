package org.vaegan.core.config;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * How a decoded picture becomes a training image (keys under vaegan.data.preprocess): colour
 * conversion follows vaegan.model.channels, then a crop, a resize to vaegan.model.image-size and,
 * at batch time, a seeded random horizontal flip.
 *
 * @param preset  "none", or "celeba": the paper's crop box rows 40-188, columns 15-163 (148x148),
 *                which replaces crop and crop-box
 * @param crop    what part of the picture is kept
 * @param cropSize side of the centred square (crop = centre); 0 = the picture's shorter side
 * @param cropBox the fixed box (crop = box)
 * @param resize  resampling filter
 * @param flip    mirror each drawn image left-right with probability 1/2 (seeded)
 * @param minSide pictures with a side shorter than this are bad input (thumbnails, tracking pixels)
 */
public record PreprocessConfig(String preset, Crop crop, int cropSize, CropBox cropBox, Resize resize, boolean flip,
                               int minSide) implements Serializable {
    public static final CropBox CELEBA_BOX = new CropBox(40, 15, 148, 148);

    public enum Crop {
        NONE, CENTRE, BOX;

        static Crop parse(String key, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "none" -> NONE;
                case "centre", "center" -> CENTRE;
                case "box" -> BOX;
                default -> throw new InvalidConfigException(key, "must be \"none\", \"centre\" or \"box\", got \"" + value + "\"");
            };
        }
    }

    /** AREA averages the source pixels an output pixel covers; BICUBIC is Keys' cubic (a = -0.5). */
    public enum Resize {
        AUTO, AREA, BICUBIC;

        static Resize parse(String key, String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "auto" -> AUTO;
                case "area" -> AREA;
                case "bicubic" -> BICUBIC;
                default -> throw new InvalidConfigException(key, "must be \"auto\", \"area\" or \"bicubic\", got \"" + value + "\"");
            };
        }
    }

    /** A crop box in pixels of the source picture: rows [top, top + height), columns [left, left + width). */
    public record CropBox(int top, int left, int height, int width) implements Serializable {
        static CropBox of(String key, List<Integer> values) {
            if (values.size() != 4) {
                throw new InvalidConfigException(key, "must be [top, left, height, width], got " + values);
            }
            if (values.get(0) < 0 || values.get(1) < 0 || values.get(2) <= 0 || values.get(3) <= 0) {
                throw new InvalidConfigException(key, "needs top, left >= 0 and height, width > 0, got " + values);
            }
            return new CropBox(values.get(0), values.get(1), values.get(2), values.get(3));
        }

        @Override
        public String toString() {
            return "[" + top + ", " + left + ", " + height + ", " + width + "]";
        }
    }

    public PreprocessConfig {
        if (!List.of("none", "celeba").contains(preset)) {
            throw new InvalidConfigException("vaegan.data.preprocess.preset", "must be \"none\" or \"celeba\", got \"" + preset + "\"");
        }
        if ("celeba".equals(preset)) {
            crop = Crop.BOX;
            cropBox = CELEBA_BOX;
        }
        Checks.nonNegative("vaegan.data.preprocess.crop-size", cropSize);
        Checks.positive("vaegan.data.preprocess.min-side", minSide);
    }

    /** Builds the record from the raw keys, checking each with its own name. */
    static PreprocessConfig of(String preset, String crop, int cropSize, List<Integer> cropBox, String resize, boolean flip,
                               int minSide) {
        return new PreprocessConfig(preset, Crop.parse("vaegan.data.preprocess.crop", crop), cropSize,
                CropBox.of("vaegan.data.preprocess.crop-box", cropBox),
                Resize.parse("vaegan.data.preprocess.resize", resize), flip, minSide);
    }

    /** The key a crop-related error should name: the preset when it set the box. */
    public String cropKey() {
        if ("celeba".equals(preset)) {
            return "vaegan.data.preprocess.preset (celeba box " + CELEBA_BOX + ")";
        }
        return switch (crop) {
            case BOX -> "vaegan.data.preprocess.crop-box " + cropBox;
            case CENTRE -> "vaegan.data.preprocess.crop-size " + cropSize;
            case NONE -> "vaegan.data.preprocess.min-side " + minSide;
        };
    }

    /** A stable description of everything that changes the decoded pixels (part of the cache key). */
    public String describe() {
        return "crop=" + crop + " crop-size=" + cropSize + " box=" + cropBox + " resize=" + resize + " min-side=" + minSide;
    }
}
