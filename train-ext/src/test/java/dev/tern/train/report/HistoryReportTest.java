package dev.tern.train.report;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HistoryReportTest {
    @TempDir
    Path temp;

    private static TrainingHistory history() {
        TrainingHistory history = new TrainingHistory();
        history.add(new EpochStats(1, 2.1, 1.9, 0.41, 12000));
        history.add(new EpochStats(2, 1.2, 1.1, 0.73, 15000));
        history.add(new EpochStats(3, 0.6, 0.7, 0.88, 15500));
        history.add(new EpochStats(4, 0.3, 0.45, 0.95, 15800));
        return history;
    }

    @Test
    void svgIsWellFormedWithOnePolylinePerSeries() throws Exception {
        Path file = temp.resolve("history.svg");
        HistoryReport.writeSvg(history(), file);

        Document svg = parse(Files.readString(file));

        assertEquals("svg", svg.getDocumentElement().getLocalName());
        Map<String, Integer> pointsPerSeries = pointsPerSeries(svg);
        assertEquals(Map.of(HistoryChart.TRAIN_LOSS, 4, HistoryChart.VALIDATION_LOSS, 4,
                HistoryChart.VALIDATION_ACCURACY, 4), pointsPerSeries);
        List<String> legend = texts(svg, "legend");
        assertEquals(List.of(HistoryChart.TRAIN_LOSS, HistoryChart.VALIDATION_LOSS, HistoryChart.VALIDATION_ACCURACY), legend);
    }

    @Test
    void fallingLossIsDrawnFallingAndRisingAccuracyRising() throws Exception {
        Document svg = parse(HistoryChart.svg(history()));

        double[] ys = polylineYs(svg, HistoryChart.TRAIN_LOSS);
        // SVG y grows downwards: a falling loss has rising y coordinates.
        for (int i = 1; i < ys.length; i++) {
            assertTrue(ys[i] > ys[i - 1], "point " + i + " of the falling loss is not lower");
        }
        double[] accuracy = polylineYs(svg, HistoryChart.VALIDATION_ACCURACY);
        assertTrue(accuracy[3] < accuracy[0], "rising accuracy is drawn rising");
    }

    @Test
    void missingValidationLeavesOnlyTheTrainingLine() throws Exception {
        TrainingHistory history = new TrainingHistory();
        history.add(new EpochStats(1, 1.0, Double.NaN, Double.NaN, 100));
        history.add(new EpochStats(2, 0.5, Double.NaN, Double.NaN, 100));

        Document svg = parse(HistoryChart.svg(history));

        assertEquals(Map.of(HistoryChart.TRAIN_LOSS, 2, HistoryChart.VALIDATION_LOSS, 0,
                HistoryChart.VALIDATION_ACCURACY, 0), pointsPerSeries(svg));
    }

    @Test
    void htmlEmbedsTheChartAndATableRowPerEpoch() throws Exception {
        Path file = temp.resolve("report.html");
        HistoryReport.writeHtml(history(), "digits <mlp> & friends", file);

        Document html = parse(Files.readString(file));

        assertEquals("digits <mlp> & friends", html.getElementsByTagName("title").item(0).getTextContent());
        assertEquals(1, html.getElementsByTagNameNS("http://www.w3.org/2000/svg", "svg").getLength());
        NodeList rows = html.getElementsByTagName("tbody").item(0).getChildNodes();
        List<Element> tableRows = elements(rows);
        assertEquals(4, tableRows.size());
        List<String> lastRow = elements(tableRows.get(3).getChildNodes()).stream()
                .map(Element::getTextContent)
                .collect(Collectors.toList());
        assertEquals(List.of("4", "0.3000", "0.4500", "95.00%", "15800"), lastRow);
        try (var listing = Files.list(temp)) {
            assertEquals(List.of(file), listing.toList(), "no temporary file is left behind");
        }
    }

    @Test
    void eachLossTermGetsATrainingAndAValidationCurveAndTableColumns() throws Exception {
        TrainingHistory history = new TrainingHistory();
        history.add(vaeEpoch(1, 40.0, 2.0, 38.0, 2.5));
        history.add(vaeEpoch(2, 30.0, 4.0, 29.0, 4.5));
        history.add(vaeEpoch(3, 22.0, 5.0, 23.0, 5.5));

        Document svg = parse(HistoryChart.svg(history));
        Document html = parse(HistoryReport.html(history, "vae"));

        assertEquals(List.of("kl", "reconstruction"), history.lossTerms());
        Map<String, Integer> points = pointsPerSeries(svg);
        for (String series : List.of("train reconstruction", "validation reconstruction", "train kl", "validation kl")) {
            assertEquals(3, points.get(series), series);
        }
        double[] reconstruction = polylineYs(svg, "train reconstruction");
        assertTrue(reconstruction[2] > reconstruction[0], "the falling reconstruction term is drawn falling");
        double[] kl = polylineYs(svg, "validation kl");
        assertTrue(kl[2] < kl[0], "the rising KL term is drawn rising");
        assertEquals(String.valueOf(3 * 440), svg.getDocumentElement().getAttribute("width"), "a third panel");
        List<String> header = elements(html.getElementsByTagName("thead").item(0).getFirstChild().getChildNodes())
                .stream().map(Element::getTextContent).toList();
        assertEquals(List.of("train kl", "validation kl", "train reconstruction", "validation reconstruction"),
                header.subList(5, 9));
        List<String> lastRow = elements(elements(html.getElementsByTagName("tbody").item(0).getChildNodes()).get(2)
                .getChildNodes()).stream().map(Element::getTextContent).toList();
        assertEquals(List.of("5.0000", "5.5000", "22.0000", "23.0000"), lastRow.subList(5, 9));
    }

    @Test
    void aLossOfOneTermAddsNoPanel() throws Exception {
        TrainingHistory history = new TrainingHistory();
        history.add(new EpochStats(1, 1.0, 0.9, 0.5, 100, Double.NaN, Double.NaN,
                Map.of("train.loss.logits", 1.0, "validation.loss.logits", 0.9)));

        Document svg = parse(HistoryChart.svg(history));

        assertEquals(String.valueOf(2 * 440), svg.getDocumentElement().getAttribute("width"));
        assertEquals(3, pointsPerSeries(svg).size());
    }

    /** An epoch of a VAE's loss: a reconstruction and a KL term, on training and validation data. */
    private static EpochStats vaeEpoch(int epoch, double trainReconstruction, double trainKl,
                                       double validationReconstruction, double validationKl) {
        return new EpochStats(epoch, trainReconstruction + trainKl, validationReconstruction + validationKl,
                Double.NaN, 100, Double.NaN, Double.NaN, Map.of(
                        "train.loss.reconstruction", trainReconstruction, "train.loss.kl", trainKl,
                        "validation.loss.reconstruction", validationReconstruction, "validation.loss.kl", validationKl));
    }

    @Test
    void emptyHistoryAndOutOfOrderEpochsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> HistoryChart.svg(new TrainingHistory()));
        TrainingHistory history = history();
        assertThrows(IllegalArgumentException.class, () -> history.add(new EpochStats(4, 1, 1, 0.5, 1)));
    }

    @Test
    void negativeErrorsAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> new EpochStats(1, 1, 1, Double.NaN, 1, -0.1, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new EpochStats(1, 1, 1, Double.NaN, 1, 0.1, -0.1));
    }

    private static Map<String, Integer> pointsPerSeries(Document svg) {
        Map<String, Integer> counts = new HashMap<>();
        for (Element group : elements(svg.getElementsByTagName("g"))) {
            if (group.getAttribute("class").equals("series")) {
                Element polyline = (Element) group.getElementsByTagName("polyline").item(0);
                String points = polyline.getAttribute("points").strip();
                int count = points.isEmpty() ? 0 : points.split(" ").length;
                assertEquals(count, group.getElementsByTagName("circle").getLength());
                counts.put(group.getAttribute("data-name"), count);
            }
        }
        return counts;
    }

    private static double[] polylineYs(Document svg, String series) {
        for (Element group : elements(svg.getElementsByTagName("g"))) {
            if (series.equals(group.getAttribute("data-name"))) {
                String points = ((Element) group.getElementsByTagName("polyline").item(0)).getAttribute("points");
                String[] pairs = points.split(" ");
                double[] ys = new double[pairs.length];
                for (int i = 0; i < pairs.length; i++) {
                    ys[i] = Double.parseDouble(pairs[i].split(",")[1]);
                }
                return ys;
            }
        }
        throw new AssertionError("no series " + series);
    }

    private static List<String> texts(Document svg, String cssClass) {
        return elements(svg.getElementsByTagName("text")).stream()
                .filter(e -> e.getAttribute("class").equals(cssClass))
                .map(Element::getTextContent)
                .collect(Collectors.toList());
    }

    private static List<Element> elements(NodeList nodes) {
        List<Element> result = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            if (nodes.item(i) instanceof Element element) {
                result.add(element);
            }
        }
        return result;
    }

    private static Document parse(String xml) throws ParserConfigurationException, IOException, SAXException {
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        return factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
