package dev.tern.library;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Just enough DOM to read a pom or a Surefire report. */
final class Xml {
    private Xml() {
    }

    /** The root element of {@code file}. */
    static Element root(Path file) throws IOException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            return factory.newDocumentBuilder().parse(file.toFile()).getDocumentElement();
        } catch (ParserConfigurationException | SAXException e) {
            throw new IOException(file + " is not well-formed XML: " + e.getMessage(), e);
        }
    }

    /** The child elements of {@code parent} named {@code name}, in document order. */
    static List<Element> children(Element parent, String name) {
        List<Element> children = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && element.getTagName().equals(name)) {
                children.add(element);
            }
        }
        return children;
    }

    /** The one child element named {@code name}, if there is one. */
    static Optional<Element> child(Element parent, String name) {
        List<Element> children = children(parent, name);
        if (children.size() > 1) {
            throw new IllegalArgumentException("<" + parent.getTagName() + "> has " + children.size()
                    + " <" + name + "> elements, expected at most one");
        }
        return children.stream().findFirst();
    }

    /** The trimmed text of the element at {@code path} below {@code parent}, or "" where there is none. */
    static String text(Element parent, String... path) {
        Optional<Element> element = Optional.of(parent);
        for (String name : path) {
            element = element.flatMap(e -> child(e, name));
        }
        return element.map(e -> e.getTextContent().trim()).orElse("");
    }
}
