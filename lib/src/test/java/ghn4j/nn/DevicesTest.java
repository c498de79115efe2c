package ghn4j.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import org.junit.jupiter.api.Test;

class DevicesTest {

  @Test
  void parsesCpuAndGpuNames() {
    assertEquals(Device.cpu(), Devices.parse("CPU", 0));
    assertEquals(Device.gpu(0), Devices.parse("gpu", 2));
    assertEquals(Device.gpu(1), Devices.parse("cuda:1", 2));
    assertEquals(Device.gpu(1), Devices.parse(" gpu:1 ", 2));
  }

  @Test
  void rejectsMalformedNamesAndMissingGpusByName() {
    IllegalArgumentException e =
        assertThrows(IllegalArgumentException.class, () -> Devices.parse("tpu", 1));
    assertTrue(e.getMessage().contains("ghn4j.device=tpu"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu:2", 2));
    assertTrue(e.getMessage().contains("sees 2 GPU"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Devices.parse("gpu", 0));
    assertTrue(e.getMessage().contains("CUDA natives"), e.getMessage());
  }

  @Test
  void managersFollowTheProperty() {
    String old = System.getProperty(Devices.PROPERTY);
    try {
      System.setProperty(Devices.PROPERTY, "cpu");
      try (NDManager m = Devices.newManager()) {
        assertEquals(Device.cpu(), m.getDevice());
        assertEquals(Device.cpu(), m.ones(new ai.djl.ndarray.types.Shape(2)).getDevice());
      }
    } finally {
      if (old == null) {
        System.clearProperty(Devices.PROPERTY);
      } else {
        System.setProperty(Devices.PROPERTY, old);
      }
    }
  }
}
