package dev.catalogclassifier.tour;

import static org.awaitility.Awaitility.await;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.catalogclassifier.client.ApiClient;
import dev.catalogclassifier.client.ApiException;
import dev.catalogclassifier.client.api.ClassificationsApi;
import dev.catalogclassifier.client.api.JobsApi;
import dev.catalogclassifier.client.api.TaxonomiesApi;
import dev.catalogclassifier.client.model.Applied;
import dev.catalogclassifier.client.model.CategoryList;
import dev.catalogclassifier.client.model.ClassificationRequest;
import dev.catalogclassifier.client.model.ClassificationResponse;
import dev.catalogclassifier.client.model.Example;
import dev.catalogclassifier.client.model.FeedbackEntry;
import dev.catalogclassifier.client.model.Item;
import dev.catalogclassifier.client.model.JobBreakdown;
import dev.catalogclassifier.client.model.JobFeedback;
import dev.catalogclassifier.client.model.JobRequest;
import dev.catalogclassifier.client.model.JobStatus;
import dev.catalogclassifier.client.model.JobView;
import dev.catalogclassifier.client.model.ResultPage;
import dev.catalogclassifier.client.model.Taxonomy;
import dev.catalogclassifier.client.model.TaxonomyDefinition;
import dev.catalogclassifier.client.model.TaxonomyListing;
import dev.catalogclassifier.client.model.TaxonomyView;

/**
 * The README's 60-second tour, written against the Java client openapi-generator makes from {@code /q/openapi} and
 * nothing else: what a catalogue team's code does on its first day. Compiled and run by
 * {@code GeneratedClientTourTest}; each step checks what it got and says what it saw when that is wrong.
 */
public final class ClientTour {

    private static final String NAME = "tour-furniture";
    private static final List<String> FURNITURE = List.of("Sofas & armchairs", "Beds", "Chairs", "Tables & desks");

    private ClientTour() {
    }

    /** Runs the tour against the service at {@code base}; the steps done, in order. */
    public static List<String> run(URI base) throws ApiException {
        ApiClient client = new ApiClient();
        client.updateBaseUri(base.toString().replaceAll("/$", ""));
        ClassificationsApi classifications = new ClassificationsApi(client);
        TaxonomiesApi taxonomies = new TaxonomiesApi(client);
        JobsApi jobs = new JobsApi(client);
        List<String> steps = new ArrayList<>();

        ClassificationResponse answer = classifications.classificationResourceClassify(new ClassificationRequest()
                .taxonomy(new Taxonomy(categories(FURNITURE)))
                .items(List.of(new Item().id("sku-1").name("POÄNG armchair").description("Armchair, birch veneer"),
                        new Item().id("sku-2").name("MALM bed frame"))));
        check(answer.getResults().size() == 2
                && answer.getResults().stream().allMatch(r -> FURNITURE.contains(r.getCategory())), answer);
        steps.add("classified two items into a pasted taxonomy");

        List<String> categories = List.of("Beds", "Chairs", "Tables & desks");
        taxonomies.taxonomyResourcePut(NAME, new TaxonomyDefinition().categories(categories)
                .descriptions(Map.of("Beds", "beds, bed frames, headboards, cots")).itemText("name_and_description")
                .examples(List.of(new Example().text("GULLIVER Cot, 60x120 cm").category("Beds"),
                        new Example().name("ADDE").description("Chair").category("Chairs"))), null);
        TaxonomyView stored = taxonomies.taxonomyResourceGet(NAME, null, null);
        check(stored.getCategories().equals(categories) && stored.getExamples() == 2, stored);
        steps.add("stored the furniture taxonomy and read it back");

        TaxonomyListing listing = taxonomies.taxonomiesResourceList();
        check(listing.getTaxonomies().stream().anyMatch(t -> NAME.equals(t.getName()))
                && listing.getDefaultTaxonomy().getCategories().contains("Sofas & armchairs"), listing);
        steps.add("listed the taxonomies with the default one named");

        ClassificationResponse named = classifications.classificationResourceClassify(new ClassificationRequest()
                .taxonomy(new Taxonomy(NAME)).items(List.of(new Item().id("1").name("MALM").description("Bed frame, high"))));
        check(named.getResults().size() == 1 && categories.contains(named.getResults().getFirst().getCategory()), named);
        steps.add("classified into the stored taxonomy by name");

        JobView job = jobs.jobResourceSubmit(new JobRequest().taxonomy(new Taxonomy(NAME))
                .items(List.of(new Item().id("sku-1").name("POÄNG armchair"), new Item().id("sku-2").name("MALM bed frame"))));
        check(job.getStatus() == JobStatus.QUEUED && job.getTotal() == 2, job);
        String id = job.getId().toString();
        await().atMost(Duration.ofMinutes(1)).until(() -> jobs.jobResourceGet(id).getStatus() == JobStatus.COMPLETED);
        ResultPage page = jobs.jobResourceResults(id, null, null, 10, 0);
        check(page.getTotal() == 2 && page.getItems().getFirst().getId().equals("sku-1")
                && page.getItems().getFirst().getName().equals("POÄNG armchair"), page);
        steps.add("ran a job to completion and paged its results");

        JobBreakdown breakdown = jobs.jobResourceBreakdown(id);
        check(breakdown.getAnswered() == 2 && breakdown.getSureness().size() == 10, breakdown);
        steps.add("read the job's breakdown");

        Applied applied = jobs.jobResourceFeedback(id, new JobFeedback().items(List.of(new FeedbackEntry().id("sku-2").confirm(true))));
        check(applied.getConfirmed() == 1, applied);
        steps.add("sent feedback on a result");

        ApiException refused = refusal(() -> jobs.jobResourceRetry(id));
        check(refused.getCode() == 409 && refused.getResponseBody().contains("nothing"), refused.getResponseBody());
        steps.add("was told there was nothing to retry");

        taxonomies.taxonomyResourceDelete(NAME, null);
        ApiException gone = refusal(() -> taxonomies.taxonomyResourceGet(NAME, null, null));
        check(gone.getCode() == 404, gone.getResponseBody());
        steps.add("deleted the taxonomy");
        return steps;
    }

    private static CategoryList categories(List<String> names) {
        CategoryList list = new CategoryList();
        list.addAll(names);
        return list;
    }

    private interface Call {
        Object call() throws ApiException;
    }

    private static ApiException refusal(Call call) {
        try {
            Object answer = call.call();
            throw new AssertionError("expected a refusal, got " + answer);
        } catch (ApiException e) {
            return e;
        }
    }

    private static void check(boolean holds, Object seen) {
        if (!holds) {
            throw new AssertionError("unexpected answer: " + seen);
        }
    }
}
