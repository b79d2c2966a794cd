package dev.catalogclassifier.tabular;

/** The table files the service reads and writes, known by their first bytes when read. */
public enum FileFormat {
    CSV,
    XLSX;

    /** XLSX's media type, for {@code @Produces}. */
    public static final String XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

    /**
     * What a file is, by its content rather than its name (a browser may send a CSV as
     * {@code application/vnd.ms-excel}): an XLSX is a ZIP; the legacy binary {@code .xls} (an OLE2 file) is not read;
     * anything else is taken as CSV text.
     */
    static FileFormat sniff(byte[] head) {
        if (startsWith(head, 0x50, 0x4B, 0x03, 0x04)) {
            return XLSX;
        }
        if (startsWith(head, 0xD0, 0xCF, 0x11, 0xE0)) {
            throw TableFile.unreadable("is a legacy .xls workbook: save it as .xlsx or as CSV UTF-8");
        }
        return CSV;
    }

    private static boolean startsWith(byte[] head, int... magic) {
        if (head.length < magic.length) {
            return false;
        }
        for (int i = 0; i < magic.length; i++) {
            if ((head[i] & 0xFF) != magic[i]) {
                return false;
            }
        }
        return true;
    }
}
