package dev.catalogclassifier.job;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import dev.catalogclassifier.job.JobBreakdown.Bin;
import dev.catalogclassifier.job.JobBreakdown.Share;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/** Counts a job's answers by category and by how sure they are, in the database (a job has up to 100,000 items). */
@ApplicationScoped
public class JobBreakdowns {

    /** Categories shown by name; the rest are summed. */
    static final int TOP = 10;
    private static final int BINS = 10;

    public Uni<JobBreakdown> of(Job job) {
        return Panache.withSession(() -> categories(job).chain(categories -> sureness(job).map(bins -> breakdown(job, categories, bins))));
    }

    private static Uni<List<Object[]>> categories(Job job) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select category, count(*) from JobItem where jobId = ?1 and status = 'ok' group by category "
                        + "order by count(*) desc, category", Object[].class).setParameter(1, job.id).getResultList());
    }

    private static Uni<List<Object[]>> sureness(Job job) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select floor(coalesce(chance, confidence, 0) * 10), review, count(*), max(coalesce(chance, confidence, 0)) "
                        + "from JobItem where jobId = ?1 and status = 'ok' group by 1, 2", Object[].class)
                .setParameter(1, job.id).getResultList());
    }

    private static JobBreakdown breakdown(Job job, List<Object[]> categories, List<Object[]> sureness) {
        List<Share> top = new ArrayList<>();
        long answered = 0;
        long otherItems = 0;
        for (Object[] row : categories) {
            long items = ((Number) row[1]).longValue();
            answered += items;
            if (top.size() < TOP) {
                top.add(new Share((String) row[0], items));
            } else {
                otherItems += items;
            }
        }
        long[] items = new long[BINS];
        long[] review = new long[BINS];
        Double reviewUpTo = null;
        for (Object[] row : sureness) {
            int bin = Math.min(BINS - 1, Math.max(0, ((Number) row[0]).intValue())); // 1.0 goes into the last bin
            long count = ((Number) row[2]).longValue();
            items[bin] += count;
            if (Boolean.TRUE.equals(row[1])) {
                review[bin] += count;
                double surest = ((Number) row[3]).doubleValue();
                reviewUpTo = reviewUpTo == null ? surest : Math.max(reviewUpTo, surest);
            }
        }
        List<Bin> bins = new ArrayList<>(BINS);
        for (int b = 0; b < BINS; b++) {
            bins.add(new Bin(b / 10.0, (b + 1) / 10.0, items[b], review[b]));
        }
        long marked = java.util.Arrays.stream(review).sum();
        return new JobBreakdown(answered, top, categories.size() - top.size(), otherItems, bins, marked, reviewUpTo,
                job.cascadePrecision);
    }
}
